import "server-only";
import { asc, eq, isNotNull } from "drizzle-orm";
import { db, schema, sqlite } from "@/lib/db";

const a = schema.accounts;

/** Account columns safe to send to a page: the sealed secrets never leave the server, only whether they are set. */
const publicColumns = {
  id: a.id,
  name: a.name,
  appid: a.appid,
  originalId: a.originalId,
  boundToOpenPlatform: a.boundToOpenPlatform,
  hasPushToken: isNotNull(a.pushTokenSealed),
  hasAesKey: isNotNull(a.aesKeySealed),
  secretsUpdatedAt: a.secretsUpdatedAt,
  disabledAt: a.disabledAt,
  lastOkAt: a.lastOkAt,
  lastErrorAt: a.lastErrorAt,
  schedule: a.schedule,
  scheduleTime: a.scheduleTime,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
};

export type AccountSummary = {
  id: string;
  name: string;
  appid: string;
  originalId: string;
  boundToOpenPlatform: boolean;
  hasPushToken: boolean;
  hasAesKey: boolean;
  secretsUpdatedAt: Date;
  disabledAt: Date | null;
  lastOkAt: Date | null;
  lastErrorAt: Date | null;
  schedule: "off" | "hourly" | "daily";
  scheduleTime: string;
  createdAt: Date;
  updatedAt: Date;
};

export function listAccounts(): AccountSummary[] {
  return db().select(publicColumns).from(a).orderBy(asc(a.name), asc(a.appid)).all().map(normalise);
}

export function getAccount(id: string): AccountSummary | null {
  const row = db().select(publicColumns).from(a).where(eq(a.id, id)).get();
  return row ? normalise(row) : null;
}

export function findAccountIdByAppid(appid: string): string | null {
  return db().select({ id: a.id }).from(a).where(eq(a.appid, appid)).get()?.id ?? null;
}

/** SQLite returns the isNotNull() expressions as 0/1. */
function normalise(
  row: Omit<AccountSummary, "hasPushToken" | "hasAesKey"> & { hasPushToken: unknown; hasAesKey: unknown },
) {
  return { ...row, hasPushToken: Boolean(row.hasPushToken), hasAesKey: Boolean(row.hasAesKey) };
}

export type ConnectionState = "connected" | "failing" | "untested";

/** The latest of the last success and the last error decides. */
export function connectionState(account: Pick<AccountSummary, "lastOkAt" | "lastErrorAt">): ConnectionState {
  if (account.lastErrorAt && (!account.lastOkAt || account.lastErrorAt > account.lastOkAt)) return "failing";
  return account.lastOkAt ? "connected" : "untested";
}

/** What deleting an account removes besides its row: for the confirmation dialog. */
export function accountDataCounts(accountId: string) {
  const handle = sqlite();
  return {
    followers: handle
      .prepare("SELECT COUNT(*) FROM followers WHERE account_id = ?")
      .pluck()
      .get(accountId) as number,
    runs: handle
      .prepare("SELECT COUNT(*) FROM sync_runs WHERE account_id = ?")
      .pluck()
      .get(accountId) as number,
  };
}
