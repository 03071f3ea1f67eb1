import "server-only";
import { existsSync, statSync } from "node:fs";
import { sqlite } from "@/lib/db";
import { env } from "@/lib/env";
import { readiness } from "@/lib/health";
import { HEARTBEAT_STALE_MS, freeDiskBytes, workerState, type CheckName } from "@/lib/health/readiness";
import { workerProcessStats } from "@/lib/sync/worker-process";

export type Tone = "ok" | "warn" | "red";

export interface SystemStatus {
  worker: {
    tone: Tone;
    mode: "process" | "in-process" | "off";
    lastBeatAt: Date | null;
    lastStoppedAt: Date | null;
    owner: string | null;
    activeRuns: number;
    restarts: number;
  };
  queue: { tone: Tone; queued: number; running: number; paused: number; oldestQueuedAt: Date | null };
  runs24h: { tone: Tone; done: number; failed: number; cancelled: number; other: number };
  errors: {
    tone: Tone;
    runs: { id: number; account: string; at: Date | null; code: number | null; message: string | null }[];
    accounts: {
      name: string;
      appid: string;
      at: Date;
      code: number | null;
      path: string | null;
      message: string | null;
    }[];
  };
  storage: {
    tone: Tone;
    databaseBytes: number;
    walBytes: number;
    freeBytes: number | null;
    minFreeBytes: number;
  };
  /** The last `npm run cli -- backup` (recorded in the audit log); amber when none in BACKUP_WARN_MS. */
  backup: { tone: Tone; lastAt: Date | null };
  /** The readiness checks that fail now (the same as GET /api/health/ready). */
  readiness: { ready: boolean; failed: CheckName[] };
}

const DAY_MS = 24 * 3600_000;
/** A WAL this large means checkpoints are not keeping up (a long reader, or the checkpointer stopped). */
const WAL_WARN_BYTES = 256 * 2 ** 20;
/** A run waiting this long with no worker taking it is a stuck queue. */
const QUEUE_WAIT_WARN_MS = 10 * 60_000;
/** No backup for this long is worth an admin's attention (a nightly schedule missed twice). */
const BACKUP_WARN_MS = 2 * DAY_MS;

const size = (file: string) => (existsSync(file) ? statSync(file).size : 0);
const date = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms));

/** What the System page shows an admin; every read is of a small table or an index. */
export function systemStatus(now: number): SystemStatus {
  const db = sqlite();
  const { DATABASE_URL, HEALTH_MIN_FREE_DISK_MB } = env();
  const mode = (
    ["in-process", "off"].includes(process.env.UNIONVIEW_WORKER ?? "")
      ? process.env.UNIONVIEW_WORKER
      : "process"
  ) as SystemStatus["worker"]["mode"];

  const beat = workerState(db);
  const fresh = beat.lastBeatAt !== null && now - beat.lastBeatAt <= HEARTBEAT_STALE_MS;
  const restarts = workerProcessStats().restarts;

  const active = db
    .prepare(
      `SELECT status, COUNT(*) AS n, MIN(created_at) AS oldest FROM sync_runs
        WHERE status IN ('queued', 'running', 'paused') GROUP BY status`,
    )
    .all() as { status: string; n: number; oldest: number }[];
  const count = (status: string) => active.find((r) => r.status === status)?.n ?? 0;
  const oldestQueued = active.find((r) => r.status === "queued")?.oldest ?? null;

  const recent = db
    .prepare(
      `SELECT status, COUNT(*) AS n FROM sync_runs
        WHERE status IN ('done', 'failed', 'cancelled') AND finished_at >= ? GROUP BY status`,
    )
    .all(now - DAY_MS) as { status: string; n: number }[];
  const finished = (status: string) => recent.find((r) => r.status === status)?.n ?? 0;
  const startedRecently = db
    .prepare(
      "SELECT COUNT(*) FROM sync_runs WHERE created_at >= ? AND status IN ('queued', 'running', 'paused')",
    )
    .pluck()
    .get(now - DAY_MS) as number;

  // One seek of audit_log_action_id.
  const lastBackup = (db
    .prepare("SELECT at FROM audit_log WHERE action = 'system.backup' ORDER BY id DESC LIMIT 1")
    .pluck()
    .get() ?? null) as number | null;

  const failedRuns = db
    .prepare(
      `SELECT r.id, coalesce(a.name, r.account_id) AS account, r.finished_at AS at, r.error_code AS code,
              r.error_message AS message
         FROM sync_runs r LEFT JOIN accounts a ON a.id = r.account_id
        WHERE r.status = 'failed' ORDER BY r.id DESC LIMIT 5`,
    )
    .all() as {
    id: number;
    account: string;
    at: number | null;
    code: number | null;
    message: string | null;
  }[];
  const accountErrors = db
    .prepare(
      `SELECT name, appid, last_error_at AS at, last_error_code AS code, last_error_path AS path,
              last_error_message AS message
         FROM accounts WHERE last_error_at IS NOT NULL AND (last_ok_at IS NULL OR last_ok_at < last_error_at)
        ORDER BY last_error_at DESC LIMIT 5`,
    )
    .all() as {
    name: string;
    appid: string;
    at: number;
    code: number | null;
    path: string | null;
    message: string | null;
  }[];

  let freeBytes: number | null = null;
  try {
    freeBytes = freeDiskBytes(DATABASE_URL);
  } catch {
    freeBytes = null;
  }
  const minFreeBytes = HEALTH_MIN_FREE_DISK_MB * 2 ** 20;
  const walBytes = size(`${DATABASE_URL}-wal`);
  const ready = readiness(now);

  const recentFailures = failedRuns.filter((r) => r.at !== null && r.at >= now - DAY_MS).length;
  return {
    worker: {
      tone: fresh ? "ok" : "red",
      mode,
      lastBeatAt: date(beat.lastBeatAt),
      lastStoppedAt: date(beat.lastStoppedAt),
      owner: beat.owner,
      activeRuns: beat.activeRuns,
      restarts,
    },
    queue: {
      tone: oldestQueued !== null && now - oldestQueued > QUEUE_WAIT_WARN_MS ? "red" : "ok",
      queued: count("queued"),
      running: count("running"),
      paused: count("paused"),
      oldestQueuedAt: date(oldestQueued),
    },
    runs24h: {
      tone: finished("failed") > 0 ? "warn" : "ok",
      done: finished("done"),
      failed: finished("failed"),
      cancelled: finished("cancelled"),
      other: startedRecently,
    },
    errors: {
      tone: accountErrors.length > 0 ? "red" : recentFailures > 0 ? "warn" : "ok",
      runs: failedRuns.map((r) => ({ ...r, at: date(r.at) })),
      accounts: accountErrors.map((r) => ({ ...r, at: new Date(r.at) })),
    },
    storage: {
      tone:
        freeBytes === null || freeBytes < minFreeBytes ? "red" : walBytes > WAL_WARN_BYTES ? "warn" : "ok",
      databaseBytes: size(DATABASE_URL),
      walBytes,
      freeBytes,
      minFreeBytes,
    },
    backup: {
      tone: lastBackup !== null && now - lastBackup <= BACKUP_WARN_MS ? "ok" : "warn",
      lastAt: date(lastBackup),
    },
    readiness: { ready: ready.ready, failed: ready.checks.filter((c) => !c.ok).map((c) => c.name) },
  };
}
