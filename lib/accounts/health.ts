import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { db, schema } from "@/lib/db";
import { explainWeChatError } from "@/lib/i18n/wechat-errors";
import { beijingDay } from "@/lib/time/beijing";
import { DAILY_LIMITS } from "@/lib/wechat/limits";

export interface AccountHealth {
  lastOkAt: Date | null;
  lastError: { at: Date; category: string; errcode: number | null; message: string } | null;
  day: string;
  usage: {
    path: string;
    calls: number;
    errors: number;
    limit: number | null;
    remote: { used: number; remain: number } | null;
  }[];
}

/** The account's health panel: last success, last error in the reader's language, today's API use. */
export function accountHealth(accountId: string, locale: "zh-CN" | "en"): AccountHealth | null {
  const a = schema.accounts;
  const row = db()
    .select({
      appid: a.appid,
      lastOkAt: a.lastOkAt,
      lastErrorAt: a.lastErrorAt,
      category: a.lastErrorCategory,
      code: a.lastErrorCode,
      path: a.lastErrorPath,
      raw: a.lastErrorMessage,
    })
    .from(a)
    .where(eq(a.id, accountId))
    .get();
  if (!row) return null;
  const day = beijingDay(Date.now());
  const usage = db()
    .select({ path: schema.apiUsage.path, calls: schema.apiUsage.calls, errors: schema.apiUsage.errors })
    .from(schema.apiUsage)
    .where(and(eq(schema.apiUsage.appid, row.appid), eq(schema.apiUsage.day, day)))
    .orderBy(asc(schema.apiUsage.path))
    .all();
  const remote = new Map(
    db()
      .select({
        path: schema.apiQuota.path,
        used: schema.apiQuota.used,
        remain: schema.apiQuota.remain,
        checkedAt: schema.apiQuota.checkedAt,
      })
      .from(schema.apiQuota)
      .where(eq(schema.apiQuota.appid, row.appid))
      .all()
      .filter((q) => beijingDay(q.checkedAt.getTime()) === day)
      .map((q) => [q.path, { used: q.used, remain: q.remain }]),
  );
  const raw = row.raw ?? "";
  return {
    lastOkAt: row.lastOkAt,
    lastError:
      row.lastErrorAt && row.code !== null
        ? {
            at: row.lastErrorAt,
            category: row.category ?? "unknown",
            errcode: row.code,
            message: explainWeChatError({ errcode: row.code, path: row.path, raw }, locale),
          }
        : null,
    day,
    // Paths WeChat reported on (quota/get) appear even before this process called them today.
    usage: [
      ...usage,
      ...[...remote.keys()]
        .filter((path) => !usage.some((u) => u.path === path))
        .map((path) => ({ path, calls: 0, errors: 0 })),
    ]
      .sort((x, y) => x.path.localeCompare(y.path))
      .map((u) => ({ ...u, limit: DAILY_LIMITS[u.path] ?? null, remote: remote.get(u.path) ?? null })),
  };
}
