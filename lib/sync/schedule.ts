import type Database from "better-sqlite3";
import { BEIJING_OFFSET_MS, DAY_MS } from "@/lib/time/beijing";
import { enqueueSync } from "./queue";

/**
 * Queues incremental syncs for accounts whose schedule is due: hourly, or daily at HH:MM Beijing
 * time. "Due" means no run was created for the account since the last scheduled moment.
 */
export function enqueueDueSchedules(sqlite: Database.Database, now: number): number {
  const accounts = sqlite
    .prepare(
      `SELECT a.id, a.schedule, a.schedule_time AS time,
              (SELECT created_at FROM sync_runs r WHERE r.account_id = a.id ORDER BY r.id DESC LIMIT 1) AS lastRun
         FROM accounts a WHERE a.disabled_at IS NULL AND a.schedule != 'off'`,
    )
    .all() as { id: string; schedule: "hourly" | "daily"; time: string; lastRun: number | null }[];
  let queued = 0;
  for (const account of accounts) {
    const due = lastScheduledMoment(account.schedule, account.time, now);
    if (account.lastRun !== null && account.lastRun >= due) continue;
    if (
      !enqueueSync(sqlite, { accountId: account.id, kind: "incremental", triggeredBy: "schedule", now })
        .alreadyActive
    )
      queued++;
  }
  return queued;
}

/** The most recent moment at or before `now` when the schedule fired. */
export function lastScheduledMoment(schedule: "hourly" | "daily", time: string, now: number): number {
  if (schedule === "hourly") return Math.floor(now / 3_600_000) * 3_600_000;
  const [h, m] = time.split(":").map(Number) as [number, number];
  const local = now + BEIJING_OFFSET_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  let moment = dayStart + (h * 60 + m) * 60_000;
  if (moment > local) moment -= DAY_MS;
  return moment - BEIJING_OFFSET_MS;
}
