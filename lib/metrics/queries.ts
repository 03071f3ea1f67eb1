import "server-only";
import type Database from "better-sqlite3";

/**
 * What /metrics reads from the database at scrape time: facts written by other processes (the sync
 * worker child, `npm run worker`, the CLI), so every process's work is counted. Each read touches
 * small tables or an index (sync_runs by status, the per-day ledgers, the maintained counts), never
 * followers or people rows.
 */
export function syncRunCounts(sqlite: Database.Database) {
  return sqlite.prepare("SELECT kind, status, COUNT(*) AS n FROM sync_runs GROUP BY kind, status").all() as {
    kind: string;
    status: string;
    n: number;
  }[];
}

/** Seconds from start to finish of every finished run (there are a few per account and day). */
export function finishedRunDurations(sqlite: Database.Database) {
  return sqlite
    .prepare(
      `SELECT kind, status, (finished_at - started_at) / 1000.0 AS seconds FROM sync_runs
        WHERE status IN ('done', 'failed', 'cancelled') AND finished_at IS NOT NULL AND started_at IS NOT NULL`,
    )
    .all() as { kind: string; status: string; seconds: number }[];
}

export function wechatCalls(sqlite: Database.Database) {
  return sqlite
    .prepare(
      "SELECT appid, path, SUM(calls) AS calls, SUM(errors) AS errors FROM api_usage GROUP BY appid, path",
    )
    .all() as { appid: string; path: string; calls: number; errors: number }[];
}

export function wechatErrors(sqlite: Database.Database) {
  return sqlite
    .prepare("SELECT appid, path, errcode, SUM(count) AS n FROM api_errors GROUP BY appid, path, errcode")
    .all() as { appid: string; path: string; errcode: number; n: number }[];
}

export function wechatCallsOnDay(sqlite: Database.Database, day: string) {
  return sqlite
    .prepare("SELECT appid, SUM(calls) AS calls FROM api_usage WHERE day = ? GROUP BY appid")
    .all(day) as {
    appid: string;
    calls: number;
  }[];
}

export function quotaRemaining(sqlite: Database.Database) {
  return sqlite.prepare("SELECT appid, path, remain FROM api_quota").all() as {
    appid: string;
    path: string;
    remain: number;
  }[];
}

export function followerCounts(sqlite: Database.Database) {
  return sqlite
    .prepare(
      `SELECT a.appid, coalesce(c.followers, 0) AS followers, coalesce(c.without_unionid, 0) AS withoutUnionid
         FROM accounts a LEFT JOIN account_counts c ON c.account_id = a.id`,
    )
    .all() as { appid: string; followers: number; withoutUnionid: number }[];
}

/** People following at least one account now, and those of them without a UnionID (mask_counts). */
export function peopleCounts(sqlite: Database.Database) {
  return sqlite
    .prepare(
      `SELECT coalesce(SUM(people), 0) AS people, coalesce(SUM(CASE WHEN no_unionid = 1 THEN people END), 0) AS withoutUnionid
         FROM mask_counts WHERE mask != 0`,
    )
    .get() as { people: number; withoutUnionid: number };
}

export function newestHeartbeat(sqlite: Database.Database) {
  return sqlite
    .prepare("SELECT MAX(beat_at) FROM worker_heartbeats WHERE stopped_at IS NULL")
    .pluck()
    .get() as number | null;
}
