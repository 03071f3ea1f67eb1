/**
 * WeChat's error codes, what a client does about each, and what to tell a person.
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

interface Explanation {
  category: ErrorCategory;
  zh: string;
  en: string;
}

const table: Record<number, Explanation> = {
  [-1]: {
    category: "retry",
    zh: "微信系统繁忙，稍后会自动重试。",
    en: "WeChat is busy; UnionView retries automatically.",
  },
  40001: {
    category: "refresh-token",
    zh: "access_token 无效或已被新的 token 替换，已自动重新获取。",
    en: "The access token was invalid or replaced by a newer one; UnionView fetched a new one.",
  },
  40014: {
    category: "refresh-token",
    zh: "access_token 格式不正确，已自动重新获取。",
    en: "The access token was malformed; UnionView fetched a new one.",
  },
  42001: {
    category: "refresh-token",
    zh: "access_token 已过期，已自动重新获取。",
    en: "The access token expired; UnionView fetched a new one.",
  },
  40013: {
    category: "bad-credentials",
    zh: "AppID 无效：请在公众平台「设置与开发 → 基本配置」核对 AppID。",
    en: "The AppID is not valid: check it under Settings & Development → Basic configuration (基本配置).",
  },
  40125: {
    category: "bad-credentials",
    zh: "AppSecret 不正确：请在「基本配置」重置或核对 AppSecret 后替换。",
    en: "The AppSecret is wrong: check or reset it under Basic configuration (基本配置), then replace it here.",
  },
  40002: {
    category: "bad-credentials",
    zh: "获取 access_token 的参数不正确（grant_type）。",
    en: "WeChat refused the token request (invalid grant_type).",
  },
  40164: {
    category: "ip-not-whitelisted",
    zh: "微信拒绝了来自 IP {ip} 的调用：请在「基本配置 → IP 白名单」中加入该 IP。",
    en: "WeChat refused calls from IP {ip}: add it to the account's IP whitelist under Basic configuration (基本配置).",
  },
  40243: {
    category: "account-blocked",
    zh: "公众号已被冻结，无法调用接口。请登录公众平台处理。",
    en: "The account is frozen and cannot use the API. Sign in to the Official Accounts Platform to resolve it.",
  },
  61024: {
    category: "account-blocked",
    zh: "公众号当前状态不允许调用此接口。",
    en: "The account's current state does not allow this API.",
  },
  50004: {
    category: "account-blocked",
    zh: "公众号已被封禁或限制，无法调用接口。",
    en: "The account is banned or restricted and cannot use the API.",
  },
  50007: {
    category: "account-blocked",
    zh: "公众号已被冻结或处于异常状态。",
    en: "The account is frozen or in an abnormal state.",
  },
  45009: {
    category: "quota-exhausted",
    zh: "该接口今日调用次数已用完，将在北京时间 0 点恢复。",
    en: "Today's quota for this API is used up; it resets at 00:00 Beijing time.",
  },
  45011: {
    category: "back-off",
    zh: "调用过于频繁，稍后会自动重试。",
    en: "Too many calls in a short time; UnionView waits and retries.",
  },
  48001: {
    category: "no-permission",
    zh: "公众号没有此接口的权限（{path}）：通常需要完成微信认证。",
    en: "The account has no permission for this API ({path}); it usually needs to be verified (微信认证).",
  },
  48004: {
    category: "no-permission",
    zh: "此接口已被封禁，请在公众平台查看原因。",
    en: "This API has been banned for the account; see the Official Accounts Platform for the reason.",
  },
  50001: {
    category: "no-permission",
    zh: "用户未授权该接口（{path}）。",
    en: "The API ({path}) is not authorised for this account.",
  },
  50002: {
    category: "no-permission",
    zh: "用户受限，可能是公众号被冻结或注销。",
    en: "The account is restricted (possibly frozen or cancelled).",
  },
  40003: {
    category: "bad-request",
    zh: "无效的 openid。",
    en: "Invalid openid.",
  },
  40032: {
    category: "bad-request",
    zh: "openid 列表长度不合法（为空或超过上限）。",
    en: "Invalid openid list length (empty or over the limit).",
  },
  47001: {
    category: "bad-request",
    zh: "请求数据格式错误。",
    en: "WeChat could not parse the request data.",
  },
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

  /** A sentence for the person reading it, saying what happened and what to do. */
  explain(locale: "zh-CN" | "en"): string {
    return explainError(
      { errcode: this.errcode, category: this.category, path: this.path, ip: this.ip, raw: this.rawMessage },
      locale,
    );
  }
}

/** Local codes for failures that never reached WeChat's JSON. */
export const TRANSPORT_ERRCODE = {
  timeout: -1001,
  network: -1002,
  http: -1003,
  badJson: -1004,
  budget: -1010,
} as const;

const localExplanations: Record<number, Explanation> = {
  [TRANSPORT_ERRCODE.timeout]: {
    category: "retry",
    zh: "连接微信超时，请稍后重试。",
    en: "WeChat did not answer in time. Try again shortly.",
  },
  [TRANSPORT_ERRCODE.network]: {
    category: "retry",
    zh: "无法连接微信服务器（网络中断或连接被重置）。",
    en: "Could not reach WeChat (network failure or connection reset).",
  },
  [TRANSPORT_ERRCODE.http]: {
    category: "retry",
    zh: "微信返回了 HTTP 错误（{raw}）。",
    en: "WeChat answered with an HTTP error ({raw}).",
  },
  [TRANSPORT_ERRCODE.budget]: {
    category: "quota-exhausted",
    zh: "已用完为 UnionView 设置的每日接口调用预算（{raw}），将在北京时间 0 点继续。",
    en: "The daily API call budget set for UnionView is used up ({raw}); syncing resumes at 00:00 Beijing time.",
  },
  [TRANSPORT_ERRCODE.badJson]: {
    category: "bad-response",
    zh: "微信返回的内容无法解析（不是预期的 JSON）。",
    en: "WeChat's answer could not be read (not the expected JSON).",
  },
};

export function explainError(
  e: { errcode: number; category: ErrorCategory; path: string; ip: string | null; raw: string },
  locale: "zh-CN" | "en",
): string {
  const entry = table[e.errcode] ?? localExplanations[e.errcode];
  if (!entry) {
    return locale === "zh-CN"
      ? `微信返回了未知错误码 ${e.errcode}${e.raw ? `（${e.raw}）` : ""}。`
      : `WeChat returned an unknown error code ${e.errcode}${e.raw ? ` (${e.raw})` : ""}.`;
  }
  const text = locale === "zh-CN" ? entry.zh : entry.en;
  return text
    .replace("{ip}", e.ip ?? "?")
    .replace("{path}", e.path)
    .replace("{raw}", e.raw || "?");
}

export function categoryOf(errcode: number): ErrorCategory {
  return table[errcode]?.category ?? localExplanations[errcode]?.category ?? "unknown";
}
