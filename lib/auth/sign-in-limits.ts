import { TokenBuckets } from "./token-bucket";

/** Sign-in attempts from browsers without a device cookie for the email (ARCHITECTURE.md, "Sign-in limits"). */
export const PER_CLIENT_BURST = 10;
export const PER_CLIENT_REFILL_MS = 12_000; // 5 a minute after the burst
export const UNKNOWN_BROWSERS_BURST = 120;
export const UNKNOWN_BROWSERS_REFILL_MS = 1_000; // 3,600 an hour for the whole world

const cache = globalThis as unknown as {
  __unionviewSignInBuckets?: { perClient: TokenBuckets; unknownBrowsers: TokenBuckets };
};

export function signInBuckets() {
  cache.__unionviewSignInBuckets ??= {
    perClient: new TokenBuckets(PER_CLIENT_BURST, PER_CLIENT_REFILL_MS),
    unknownBrowsers: new TokenBuckets(UNKNOWN_BROWSERS_BURST, UNKNOWN_BROWSERS_REFILL_MS),
  };
  return cache.__unionviewSignInBuckets;
}
