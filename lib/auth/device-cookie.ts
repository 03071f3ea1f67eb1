import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): after a successful
 * sign-in the browser gets a token `<nonce>.<mac>` binding a random nonce to the email, signed with a
 * key derived from AUTH_SECRET. A sign-in that presents a valid token for its email comes from a
 * browser its owner used before: it is throttled on its own (per nonce), not by the email's lock for
 * unknown browsers, so a stranger who locks the email out does not lock out its owner.
 * The cookie keeps the tokens of the last few staff members who signed in in this browser.
 */
export const DEVICE_COOKIE = "uv_device";
export const DEVICE_COOKIE_MAX_AGE_S = 180 * 24 * 60 * 60;
const KEEP_TOKENS = 4;

function mac(email: string, nonce: string): Buffer {
  const key = createHmac("sha256", env().AUTH_SECRET).update("unionview device cookie v1").digest();
  return createHmac("sha256", key).update(`${email}\n${nonce}`).digest();
}

export function issueDeviceToken(email: string): string {
  const nonce = randomBytes(16).toString("base64url");
  return `${nonce}.${mac(email, nonce).toString("base64url")}`;
}

/** The nonce of the cookie's token for `email` whose signature checks out, or null. */
export function trustedDevice(cookieValue: string | null | undefined, email: string): string | null {
  for (const token of (cookieValue ?? "").split("~").slice(0, KEEP_TOKENS)) {
    const [nonce, given] = token.split(".");
    if (!nonce || !given || nonce.length > 64) continue;
    const expected = mac(email, nonce);
    const actual = Buffer.from(given, "base64url");
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) return nonce;
  }
  return null;
}

/** The cookie's new value: `token` first, then the other tokens it held (at most a few). */
export function withDeviceToken(
  cookieValue: string | null | undefined,
  token: string,
  email: string,
): string {
  const others = (cookieValue ?? "")
    .split("~")
    .filter((t) => t && t.length < 200 && trustedDevice(t, email) === null);
  return [token, ...others].slice(0, KEEP_TOKENS).join("~");
}
