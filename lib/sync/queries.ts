import "server-only";
import { and, count, desc, eq, inArray, lt, type SQL } from "drizzle-orm";
import { db, schema } from "@/lib/db";
import { env } from "@/lib/env";

const r = schema.syncRuns;
export const RUNS_PAGE_SIZE = 30;

const runColumns = {
  id: r.id,
  accountId: r.accountId,
  accountName: schema.accounts.name,
  appid: schema.accounts.appid,
  kind: r.kind,
  status: r.status,
  phase: r.phase,
  triggeredBy: r.triggeredBy,
  createdAt: r.createdAt,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
  pausedUntil: r.pausedUntil,
  cancelRequested: r.cancelRequested,
  reportedTotal: r.reportedTotal,
  listed: r.listed,
  toFetch: r.toFetch,
  fetched: r.fetched,
  newFollowers: r.newFollowers,
  returned: r.returned,
  updated: r.updated,
  unfollowed: r.unfollowed,
  rejected: r.rejected,
  apiCalls: r.apiCalls,
  errorCategory: r.errorCategory,
  errorCode: r.errorCode,
  errorMessage: r.errorMessage,
};

export function listRuns({ beforeId, accountId }: { beforeId?: number; accountId?: string } = {}) {
  const where: SQL[] = [];
  if (beforeId) where.push(lt(r.id, beforeId));
  if (accountId) where.push(eq(r.accountId, accountId));
  const rows = db()
    .select(runColumns)
    .from(r)
    .leftJoin(schema.accounts, eq(schema.accounts.id, r.accountId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(r.id))
    .limit(RUNS_PAGE_SIZE + 1)
    .all();
  const page = rows.slice(0, RUNS_PAGE_SIZE);
  return { rows: page, nextBeforeId: rows.length > RUNS_PAGE_SIZE ? page[page.length - 1]?.id : undefined };
}

export type RunSummary = ReturnType<typeof listRuns>["rows"][number];

export function getRun(id: number): RunSummary | null {
  return (
    db()
      .select(runColumns)
      .from(r)
      .leftJoin(schema.accounts, eq(schema.accounts.id, r.accountId))
      .where(eq(r.id, id))
      .get() ?? null
  );
}

export function activeRunCount(): number {
  return (
    db()
      .select({ n: count() })
      .from(r)
      .where(inArray(r.status, ["queued", "running"]))
      .get()?.n ?? 0
  );
}

export const CHANGE_KINDS = ["followed", "returned", "unfollowed", "rejected"] as const;
export type ChangeKindName = (typeof CHANGE_KINDS)[number];
export const CHANGES_SHOWN = 200;

/**
 * The retention (days) after which a run's per-follower change list was deleted
 * (lib/sync/changes-retention.ts), when this run finished before it; else null.
 */
export function changesPrunedAfter(run: { finishedAt: Date | null }, now = Date.now()): number | null {
  const days = env().SYNC_CHANGES_RETENTION_DAYS;
  if (days <= 0 || !run.finishedAt) return null;
  return run.finishedAt.getTime() < now - days * 86_400_000 ? days : null;
}

/** Who a run saw follow, return, leave or be rejected: counts and the first few of each. */
export function runChanges(runId: number) {
  const c = schema.syncChanges;
  const counts = Object.fromEntries(
    db()
      .select({ change: c.change, n: count() })
      .from(c)
      .where(eq(c.runId, runId))
      .groupBy(c.change)
      .all()
      .map((row) => [row.change, row.n]),
  ) as Partial<Record<ChangeKindName, number>>;
  const samples = Object.fromEntries(
    CHANGE_KINDS.map((kind) => [
      kind,
      db()
        .select({ openid: c.openid, personId: c.personId })
        .from(c)
        .where(and(eq(c.runId, runId), eq(c.change, kind)))
        .orderBy(c.id)
        .limit(CHANGES_SHOWN)
        .all(),
    ]),
  ) as Record<ChangeKindName, { openid: string; personId: number | null }[]>;
  return { counts, samples };
}
