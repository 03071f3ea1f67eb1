/**
 * WeChat's error codes and what a client does about each (what to tell a person: lib/i18n/wechat-errors.ts).
 * Almost every failure arrives as HTTP 200 with {errcode, errmsg}; errmsg carries a changing
 * " rid: …" suffix, so only the code decides anything.
 */
export type ErrorCategory =
  | "retry" // system busy or a transport failure: back off and try again
  | "refresh-token" // the token is invalid or expired: renew once and retry
  | "back-off" // per-minute limit: wait and retry
  | "quota-exhausted" // daily quota used up: stop this API until 00:00 Beijing time
  | "bad-credentials" // wrong appid or appsecret: tell the admin
  | "ip-not-whitelisted" // show the IP WeChat saw
  | "no-permission" // the account may not use this API
  | "account-blocked" // frozen, banned or in a state that forbids the API
  | "bad-request" // a client bug or a bad argument (e.g. an invalid openid)
  | "bad-response" // WeChat answered something that isn't its JSON (HTML page, garbage)
  | "unknown"; // an errcode this table doesn't know

/** What each errcode WeChat documents means for a client. The words for people are in messages/ (wechatErrors.e<code>). */
const categories: Record<number, ErrorCategory> = {
  [-1]: "retry",
  40001: "refresh-token",
  40014: "refresh-token",
  42001: "refresh-token",
  40013: "bad-credentials",
  40125: "bad-credentials",
  40002: "bad-credentials",
  40164: "ip-not-whitelisted",
  40243: "account-blocked",
  61024: "account-blocked",
  50004: "account-blocked",
  50007: "account-blocked",
  45009: "quota-exhausted",
  45011: "back-off",
  48001: "no-permission",
  48004: "no-permission",
  50001: "no-permission",
  50002: "no-permission",
  40003: "bad-request",
  40032: "bad-request",
  47001: "bad-request",
};

export interface WeChatErrorInit {
  errcode: number;
  errmsg?: string;
  path: string;
  category?: ErrorCategory;
  cause?: unknown;
}

/** Removes the changing " rid: …" suffix and anything that looks like a token from WeChat's errmsg. */
export function cleanErrmsg(errmsg: string): string {
  return errmsg
    .replace(/\s*rid:\s*\S+\s*$/i, "")
    .replace(/access_token=[^&\s]+/gi, "access_token=***")
    .trim();
}

export function ipFromErrmsg(errmsg: string): string | null {
  return /invalid ip ([0-9a-f.:]+)/i.exec(errmsg)?.[1] ?? null;
}

/**
 * A failed WeChat call. `errcode` keeps WeChat's raw code (or a negative local code for transport
 * problems); the message never contains a token or secret.
 */
export class WeChatError extends Error {
  override name = "WeChatError";
  readonly errcode: number;
  readonly category: ErrorCategory;
  readonly path: string;
  readonly rawMessage: string;
  readonly ip: string | null;

  constructor(init: WeChatErrorInit) {
    const raw = cleanErrmsg(init.errmsg ?? "");
    const category = init.category ?? categoryOf(init.errcode);
    super(`WeChat ${init.path} failed with errcode ${init.errcode}${raw ? ` (${raw})` : ""}`);
    this.errcode = init.errcode;
    this.category = category;
    this.path = init.path;
    this.rawMessage = raw;
    this.ip = init.errcode === 40164 ? ipFromErrmsg(raw) : null;
    if (init.cause !== undefined) this.cause = init.cause;
  }
}

/** Local codes for failures that never reached WeChat's JSON. */
export const TRANSPORT_ERRCODE = {
  timeout: -1001,
  network: -1002,
  http: -1003,
  badJson: -1004,
  budget: -1010,
  /** The answer does not match the request (a batchget with profiles of openids not asked for). */
  mismatch: -1005,
  /** Transient trouble (busy, quota per minute, network) that lasted too long: the run gave up. */
  persistent: -1006,
} as const;

const localCategories: Record<number, ErrorCategory> = {
  [TRANSPORT_ERRCODE.timeout]: "retry",
  [TRANSPORT_ERRCODE.network]: "retry",
  [TRANSPORT_ERRCODE.http]: "retry",
  [TRANSPORT_ERRCODE.budget]: "quota-exhausted",
  [TRANSPORT_ERRCODE.badJson]: "bad-response",
  [TRANSPORT_ERRCODE.mismatch]: "bad-response",
  [TRANSPORT_ERRCODE.persistent]: "unknown",
};

export function categoryOf(errcode: number): ErrorCategory {
  return categories[errcode] ?? localCategories[errcode] ?? "unknown";
}
