import { eq, sql } from "drizzle-orm";
import { accounts, apiErrors, apiQuota, apiUsage } from "@/lib/db/schema";
import type { WeChatError } from "./errors";
import type { AnyDb } from "./token-store";
import { beijingDay } from "@/lib/time/beijing";

/** Counts calls per account, day and path, and keeps the account's health fields current. */
export class Ledger {
  private lastOkWrite = 0;
  /** Prepared once: a sync records thousands of calls, and building the query each time cost more than running it. */
  private readonly recordCall;
  /** Errors by errcode (api_errors), read by /metrics across processes. */
  private readonly recordError;

  constructor(
    private readonly db: AnyDb,
    private readonly appid: string,
    private readonly now: () => number = Date.now,
  ) {
    this.recordCall = db
      .insert(apiUsage)
      .values({
        appid,
        day: sql.placeholder("day"),
        path: sql.placeholder("path"),
        calls: 1,
        errors: sql.placeholder("errors"),
      })
      .onConflictDoUpdate({
        target: [apiUsage.appid, apiUsage.day, apiUsage.path],
        set: { calls: sql`${apiUsage.calls} + 1`, errors: sql`${apiUsage.errors} + excluded.errors` },
      })
      .prepare();
    this.recordError = db
      .insert(apiErrors)
      .values({
        appid,
        day: sql.placeholder("day"),
        path: sql.placeholder("path"),
        errcode: sql.placeholder("errcode"),
        count: 1,
      })
      .onConflictDoUpdate({
        target: [apiErrors.appid, apiErrors.day, apiErrors.path, apiErrors.errcode],
        set: { count: sql`${apiErrors.count} + 1` },
      })
      .prepare();
  }

  record(path: string, error?: WeChatError): void {
    const day = beijingDay(this.now());
    this.recordCall.run({ day, path, errors: error ? 1 : 0 });
    if (error) this.recordError.run({ day, path, errcode: error.errcode });
  }

  healthy(): void {
    const at = this.now();
    if (at - this.lastOkWrite < 5_000) return;
    this.lastOkWrite = at;
    this.db
      .update(accounts)
      .set({ lastOkAt: new Date(at) })
      .where(eq(accounts.appid, this.appid))
      .run();
  }

  failed(error: WeChatError): void {
    this.db
      .update(accounts)
      .set({
        lastErrorAt: new Date(this.now()),
        lastErrorCategory: error.category,
        lastErrorCode: error.errcode,
        lastErrorPath: error.path,
        lastErrorMessage: error.rawMessage,
      })
      .where(eq(accounts.appid, this.appid))
      .run();
  }

  reconcile(path: string, quota: { daily_limit: number; used: number; remain: number }): void {
    const values = {
      dailyLimit: quota.daily_limit,
      used: quota.used,
      remain: quota.remain,
      checkedAt: new Date(this.now()),
    };
    this.db
      .insert(apiQuota)
      .values({ appid: this.appid, path, ...values })
      .onConflictDoUpdate({ target: [apiQuota.appid, apiQuota.path], set: values })
      .run();
  }
}
