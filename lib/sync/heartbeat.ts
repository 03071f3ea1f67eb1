import type Database from "better-sqlite3";
import { hostname } from "node:os";

/** How often a running worker rewrites its row in `worker_heartbeats`. */
export const HEARTBEAT_EVERY_MS = 5_000;
/** Rows of workers gone for this long are deleted when a worker starts. */
const FORGET_AFTER_MS = 7 * 24 * 3600_000;

/**
 * A worker's sign of life, in the database so that the web server (readiness, System page, /metrics)
 * sees a worker in another process — its own child or `npm run worker` on another host.
 */
export class WorkerHeartbeat {
  private last = 0;
  private readonly startedAt: number;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly owner: string,
    now: number,
  ) {
    this.startedAt = now;
  }

  /** Writes the row when the last write is older than HEARTBEAT_EVERY_MS (or when forced). */
  beat(now: number, activeRuns: number, force = false): void {
    if (!force && now - this.last < HEARTBEAT_EVERY_MS) return;
    if (this.last === 0)
      this.sqlite.prepare("DELETE FROM worker_heartbeats WHERE beat_at < ?").run(now - FORGET_AFTER_MS);
    this.last = now;
    this.sqlite
      .prepare(
        `INSERT INTO worker_heartbeats (owner, host, pid, started_at, beat_at, active_runs, stopped_at)
         VALUES (?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (owner) DO UPDATE SET beat_at = excluded.beat_at, active_runs = excluded.active_runs,
                                           stopped_at = NULL`,
      )
      .run(this.owner, hostname(), process.pid, this.startedAt, now, activeRuns);
  }

  /** A worker stopping on purpose says so (the System page then shows "stopped", not "silent"). */
  stopped(now: number): void {
    this.sqlite
      .prepare("UPDATE worker_heartbeats SET stopped_at = ?, active_runs = 0 WHERE owner = ?")
      .run(now, this.owner);
  }
}
