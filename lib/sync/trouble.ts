import { TRANSPORT_ERRCODE, WeChatError } from "@/lib/wechat/errors";
import type { RunContext } from "./run-context";
import type { RunOutcome } from "./run-types";

const MAX_TROUBLE_BACKOFF_MS = 5 * 60_000;

/** SQLite could not write because the disk (or the database's page limit) is full. */
export function isDiskFull(error: unknown): boolean {
  return error instanceof Error && (error as { code?: string }).code === "SQLITE_FULL";
}

/** The error a run records when the disk is full: it pauses and retries by itself. */
export class DiskFullError extends Error {
  override name = "DiskFullError";
  constructor(cause: unknown) {
    super(
      "The disk holding the database is full: the sync pauses and carries on by itself once there is free space again.",
    );
    this.cause = cause;
  }
}

/** WeChat trouble worth waiting out: system busy, the minute quota, timeouts, dropped connections, 5xx. */
export function isTransient(error: unknown): error is WeChatError {
  return error instanceof WeChatError && (error.category === "retry" || error.category === "back-off");
}

/**
 * What a run does about transient WeChat trouble that outlasted the client's retries: pause with a
 * doubling back-off (recorded in the checkpoint, so it survives a restart) while the trouble is
 * younger than `troublePersistMs`; then fail, saying for how long it persisted. The checkpoint is
 * written only while this worker still holds the run.
 */
export function rideOut(run: RunContext, error: WeChatError): RunOutcome {
  const now = run.now();
  const since = run.checkpoint.trouble?.since ?? now;
  const pauses = (run.checkpoint.trouble?.pauses ?? 0) + 1;
  const persistMs = run.options.troublePersistMs ?? 15 * 60_000;
  if (now - since >= persistMs) {
    const minutes = Math.max(1, Math.round((now - since) / 60_000));
    return {
      status: "failed",
      error: new WeChatError({
        errcode: TRANSPORT_ERRCODE.persistent,
        errmsg: `${minutes} min, ${pauses - 1} pauses; last: errcode ${error.errcode}${error.rawMessage ? ` ${error.rawMessage}` : ""}`,
        path: error.path,
        cause: error,
      }),
    };
  }
  run.checkpoint.trouble = { since, pauses };
  run.sqlite
    .prepare(
      "UPDATE sync_runs SET checkpoint = ? WHERE id = ? AND (? IS NULL OR (lease_owner = ? AND status = 'running'))",
    )
    .run(
      JSON.stringify(run.checkpoint),
      run.runId,
      run.options.owner ?? run.run.lease_owner,
      run.options.owner ?? run.run.lease_owner,
    );
  const backoff = Math.min(
    (run.options.troubleBackoffMs ?? 5000) * 2 ** (pauses - 1),
    MAX_TROUBLE_BACKOFF_MS,
  );
  return { status: "paused", until: now + backoff, error };
}
