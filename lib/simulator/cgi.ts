import { WxError } from "./errors";
import type { AccountRecord } from "./population";
import type { Simulator } from "./simulator";

export interface CgiContext {
  sim: Simulator;
  path: string;
  query: URLSearchParams;
  rawBody: string;
  ip: { v4: string; v6: string };
}

export interface ApiContext extends CgiContext {
  account: AccountRecord;
  /** The parsed JSON body of a POST endpoint; {} for GET endpoints. */
  body: Record<string, unknown>;
}

export type CgiRoute =
  | { path: string; method: "GET" | "POST"; kind: "credentials"; handle(ctx: CgiContext): unknown }
  | { path: string; method: "GET" | "POST"; kind: "api"; handle(ctx: ApiContext): unknown };

/** WeChat reads POST bodies as JSON whatever the content type says. */
export function parseJsonBody(raw: string): Record<string, unknown> {
  if (raw.trim() === "") throw new WxError(44002);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new WxError(47001);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new WxError(47001);
  return value as Record<string, unknown>;
}

/** The slot an openid names in this account, or 40003. */
export function slotOf(account: AccountRecord, openid: unknown): number {
  const slot = typeof openid === "string" ? account.openids.decode(openid) : -1;
  if (slot < 0 || slot >= account.follows.length) throw new WxError(40003);
  return slot;
}

/** Runs an API route: token, access checks, quota, body, then the handler. */
export function runApi(route: Extract<CgiRoute, { kind: "api" }>, ctx: CgiContext): unknown {
  const { sim } = ctx;
  const appid = sim.tokens.verify(ctx.query.get("access_token"));
  const account = sim.account(appid);
  if (!account) throw new WxError(40001);
  sim.checkAccess(account, ctx.path, ctx.ip);
  const body = route.method === "POST" ? parseJsonBody(ctx.rawBody) : {};
  sim.quotas.consume(appid, ctx.path);
  return route.handle({ ...ctx, account, body });
}

export const OK = { errcode: 0, errmsg: "ok" } as const;
