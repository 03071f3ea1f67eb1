import { randomBytes } from "node:crypto";

export const ERRMSG: Readonly<Record<number, string>> = {
  [-1]: "system error",
  40001: "invalid credential, access_token is invalid or not latest",
  40002: "invalid grant_type",
  40003: "invalid openid",
  40013: "invalid appid",
  40014: "invalid access_token",
  40032: "invalid openid list size",
  40033: "invalid remark length",
  40125: "invalid appsecret",
  40243: "AppSecret is frozen, please unfreeze it in mp.weixin.qq.com",
  41002: "appid missing",
  41004: "appsecret missing",
  42001: "access_token expired",
  43004: "require subscribe",
  44002: "empty post data",
  45009: "reach max api daily quota limit",
  45011: "api minute-quota reach limit  mustslower  retry next minute",
  45059: "has too many tags",
  45159: "invalid tag id",
  47001: "data format error",
  48001: "api unauthorized",
  48006: "forbid to clear quota because of reaching the limit",
  50004: "api forbidden for irregularities",
  76021: "cgi_path not found, please check",
};

/** A WeChat-style failure: answered as HTTP 200 `{"errcode","errmsg"}`. */
export class WxError extends Error {
  constructor(
    readonly errcode: number,
    message?: string,
  ) {
    super(message ?? ERRMSG[errcode] ?? "system error");
    this.name = "WxError";
  }
}

/** Like WeChat's: e.g. "rid: 6745f1c2-3b9a0d4e-1f2a3b4c", different on every response. */
export function rid(): string {
  const hex = randomBytes(12).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16, 24)}`;
}

export function errorBody(errcode: number, message?: string): { errcode: number; errmsg: string } {
  return { errcode, errmsg: `${message ?? ERRMSG[errcode] ?? "system error"} rid: ${rid()}` };
}

/** Bad input to the simulator's own admin API (answered with HTTP 400). */
export class SimInputError extends Error {
  override name = "SimInputError";
}
