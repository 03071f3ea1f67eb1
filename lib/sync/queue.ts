import type Database from "better-sqlite3";
import type { ErrorCategory } from "@/lib/wechat/errors";
import { WeChatError } from "@/lib/wechat/errors";
import type { RunOutcome } from "./engine";
import { DiskFullError } from "./trouble";

export type SyncKind = "full" | "incremental";

/**
 * Queues a sync for an account, or returns the run already active for it (queued, running or
 * paused): an account never has two.
 */
export function enqueueSync(
  sqlite: Database.Database,
  input: { accountId: string; kind: SyncKind; triggeredBy: string; now?: number },
): { runId: number; alreadyActive: boolean } {
  const active = sqlite
    .prepare("SELECT id FROM sync_runs WHERE account_id = ? AND status IN ('queued', 'running', 'paused')")
    .pluck();
  return sqlite
    .transaction(() => {
      const existing = active.get(input.accountId) as number | undefined;
      if (existing) return { runId: existing, alreadyActive: true };
      const runId = sqlite
        .prepare(
          "INSERT INTO sync_runs (account_id, kind, status, triggered_by, created_at) VALUES (?, ?, 'queued', ?, ?) RETURNING id",
        )
        .pluck()
        .get(input.accountId, input.kind, input.triggeredBy, input.now ?? Date.now()) as number;
      return { runId, alreadyActive: false };
    })
    .immediate();
}

/**
 * Takes the oldest run that is waiting: queued, paused past its resume time, or running under a
 * lease that expired (its worker died). One UPDATE, so two workers can never take the same run.
 */
export function claimRun(
  sqlite: Database.Database,
  owner: string,
  now: number,
  leaseMs: number,
): { id: number; accountId: string } | null {
  // In a transaction of its own: a claim whose COMMIT fails (a full disk) throws here instead of
  // returning a run that is still queued, which the next poll would "claim" again (a hot loop).
  const claim = sqlite.prepare(
    `UPDATE sync_runs SET status = 'running', lease_owner = @owner, lease_until = @until,
              started_at = coalesce(started_at, @now), paused_until = NULL
        WHERE id = (SELECT r.id FROM sync_runs r JOIN accounts a ON a.id = r.account_id AND a.disabled_at IS NULL
                     WHERE r.status = 'queued'
                        OR (r.status = 'running' AND r.lease_until < @now)
                        OR (r.status = 'paused' AND r.paused_until <= @now)
                     ORDER BY r.id LIMIT 1)
        RETURNING id, account_id AS accountId`,
  );
  const row = sqlite
    .transaction(
      () => claim.get({ owner, now, until: now + leaseMs }) as { id: number; accountId: string } | undefined,
    )
    .immediate();
  return row ?? null;
}

/** Extends the lease; false when another worker took the run over (this one must stop). */
export function heartbeat(sqlite: Database.Database, runId: number, owner: string, until: number): boolean {
  return (
    sqlite
      .prepare("UPDATE sync_runs SET lease_until = ? WHERE id = ? AND lease_owner = ? AND status = 'running'")
      .run(until, runId, owner).changes === 1
  );
}

export function cancelRequested(sqlite: Database.Database, runId: number): boolean {
  return Boolean(sqlite.prepare("SELECT cancel_requested FROM sync_runs WHERE id = ?").pluck().get(runId));
}

function errorFields(error: unknown): {
  category: ErrorCategory | "internal" | "disk-full";
  code: number | null;
  message: string;
} {
  if (error instanceof DiskFullError) return { category: "disk-full", code: null, message: error.message };
  if (error instanceof WeChatError)
    return { category: error.category, code: error.errcode, message: error.rawMessage || error.message };
  return {
    category: "internal",
    code: null,
    message: error instanceof Error ? error.message : String(error),
  };
}

/** Records how a run ended (or paused); a stopped run was cancelled or lost its lease. */
export function finishRun(
  sqlite: Database.Database,
  runId: number,
  owner: string,
  outcome: RunOutcome,
  now: number,
): void {
  if (outcome.status === "done") return; // the engine committed it with the last batch
  if (outcome.status === "stopped") {
    const cancelled = sqlite
      .prepare(
        `UPDATE sync_runs SET status = 'cancelled', finished_at = ?, lease_owner = NULL, lease_until = NULL
          WHERE id = ? AND lease_owner = ? AND cancel_requested = 1`,
      )
      .run(now, runId, owner).changes;
    if (cancelled) sqlite.prepare("DELETE FROM sync_listed WHERE run_id = ?").run(runId);
    return;
  }
  const error = errorFields(outcome.error);
  if (outcome.status === "paused") {
    sqlite
      .prepare(
        `UPDATE sync_runs SET status = 'paused', paused_until = ?, lease_owner = NULL, lease_until = NULL,
                error_category = ?, error_code = ?, error_message = ? WHERE id = ? AND lease_owner = ?`,
      )
      .run(outcome.until, error.category, error.code, error.message, runId, owner);
    return;
  }
  sqlite
    .prepare(
      `UPDATE sync_runs SET status = 'failed', finished_at = ?, lease_owner = NULL, lease_until = NULL,
              error_category = ?, error_code = ?, error_message = ? WHERE id = ? AND lease_owner = ?`,
    )
    .run(now, error.category, error.code, error.message, runId, owner);
}

/**
 * Stops a run: a waiting one at once, a running one at its next batch. One IMMEDIATE transaction, so a
 * worker cannot claim a paused run between the status read and its cancellation.
 */
export function cancelRun(
  sqlite: Database.Database,
  runId: number,
  now: number,
): "cancelled" | "stopping" | "finished" {
  return sqlite.transaction(() => cancelRunNow(sqlite, runId, now)).immediate();
}

function cancelRunNow(
  sqlite: Database.Database,
  runId: number,
  now: number,
): "cancelled" | "stopping" | "finished" {
  const status = sqlite.prepare("SELECT status FROM sync_runs WHERE id = ?").pluck().get(runId) as
    string | undefined;
  if (status === "queued" || status === "paused") {
    sqlite
      .prepare("UPDATE sync_runs SET status = 'cancelled', finished_at = ?, paused_until = NULL WHERE id = ?")
      .run(now, runId);
    sqlite.prepare("DELETE FROM sync_listed WHERE run_id = ?").run(runId);
    return "cancelled";
  }
  if (status === "running") {
    sqlite.prepare("UPDATE sync_runs SET cancel_requested = 1 WHERE id = ?").run(runId);
    return "stopping";
  }
  return "finished";
}
