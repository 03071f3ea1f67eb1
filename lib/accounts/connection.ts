import "server-only";
import { eq } from "drizzle-orm";
import type { Locale } from "@/i18n/locales";
import { db, schema } from "@/lib/db";
import { explainWeChatError } from "@/lib/i18n/wechat-errors";
import type { ErrorCategory, WeChatError } from "@/lib/wechat/errors";
import { clientForAccount, clientForCredentials } from "./wechat-client";

export type ConnectionResult =
  | { ok: true; remain: number; dailyLimit: number }
  | {
      ok: false;
      category: ErrorCategory;
      errcode: number;
      path: string;
      /** WeChat's errmsg without the rid: stored; `message` is it explained in the user's language. */
      raw: string;
      message: string;
      field?: "appid" | "appsecret";
    };

function describe(error: WeChatError, locale: Locale): ConnectionResult {
  const field =
    error.errcode === 40013 ? "appid" : error.category === "bad-credentials" ? "appsecret" : undefined;
  return {
    ok: false,
    category: error.category,
    errcode: error.errcode,
    path: error.path,
    raw: error.rawMessage,
    message: explainWeChatError(error, locale),
    field,
  };
}

/** Tests credentials typed into the form, before anything is stored. */
export async function testCredentials(
  appid: string,
  secret: string,
  locale: Locale,
): Promise<ConnectionResult> {
  const result = await clientForCredentials(appid, secret).testConnection();
  return result.ok
    ? { ok: true, remain: result.quota.remain, dailyLimit: result.quota.daily_limit }
    : describe(result.error, locale);
}

/** Tests a stored account; the client records the outcome in the account's health fields. */
export async function testStoredAccount(accountId: string, locale: Locale): Promise<ConnectionResult | null> {
  const client = clientForAccount(accountId);
  if (!client) return null;
  const result = await client.testConnection();
  return result.ok
    ? { ok: true, remain: result.quota.remain, dailyLimit: result.quota.daily_limit }
    : describe(result.error, locale);
}

/** After a test made before the row existed: copy its outcome into the new row's health fields. */
export function recordTestOutcome(appid: string, result: ConnectionResult): void {
  const at = new Date();
  db()
    .update(schema.accounts)
    .set(
      result.ok
        ? { lastOkAt: at }
        : {
            lastErrorAt: at,
            lastErrorCategory: result.category,
            lastErrorCode: result.errcode,
            lastErrorPath: result.path,
            lastErrorMessage: result.raw,
          },
    )
    .where(eq(schema.accounts.appid, appid))
    .run();
}
