import "server-only";
import type Database from "better-sqlite3";
import { statfsSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** A worker whose last heartbeat is older than this is taken for dead (it writes one every 5 s). */
export const HEARTBEAT_STALE_MS = 30_000;

export type CheckName = "database" | "migrations" | "secret-key" | "worker" | "disk";

export interface CheckResult {
  name: CheckName;
  ok: boolean;
  /** What is wrong (only when not ok): a sentence for the operator, never a secret. */
  message?: string;
}

export interface Readiness {
  ready: boolean;
  checks: CheckResult[];
  /** The failed checks' messages (what the 503 body lists). */
  problems: string[];
}

export interface ReadinessDeps {
  sqlite: Database.Database;
  databasePath: string;
  now: number;
  minFreeBytes: number;
  pendingMigrations: (sqlite: Database.Database) => number;
  /** Whether UNIONVIEW_SECRET_KEY opens the stored secrets; a message when it does not. */
  secretKey: () => { ok: true } | { ok: false; message: string };
}

const SQLITE_BUSY = new Set(["SQLITE_BUSY", "SQLITE_LOCKED"]);

/**
 * Rewrites the one row of health_probe without waiting for the write lock: a busy database (a sync
 * batch committing) is writable, only someone else is writing; read-only, full or broken is not.
 */
export function checkDatabaseWritable(sqlite: Database.Database, now: number): CheckResult {
  if (sqlite.inTransaction) return { name: "database", ok: true };
  const previous = sqlite.pragma("busy_timeout", { simple: true }) as number;
  sqlite.pragma("busy_timeout = 0");
  try {
    sqlite
      .prepare(
        "INSERT INTO health_probe (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
      )
      .run(now);
    return { name: "database", ok: true };
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (SQLITE_BUSY.has(code)) return { name: "database", ok: true };
    return {
      name: "database",
      ok: false,
      message: `The database does not accept writes (${code || "error"}: ${(error as Error).message}). Check that the file and its folder are writable by this process and the disk is not full or mounted read-only.`,
    };
  } finally {
    sqlite.pragma(`busy_timeout = ${previous}`);
  }
}

export interface WorkerState {
  /** Newest heartbeat of a worker that has not said it stopped. */
  lastBeatAt: number | null;
  owner: string | null;
  activeRuns: number;
  /** Any worker ever recorded stopping on purpose, newest first. */
  lastStoppedAt: number | null;
}

export function workerState(sqlite: Database.Database): WorkerState {
  const live = sqlite
    .prepare(
      "SELECT owner, beat_at AS beatAt, active_runs AS activeRuns FROM worker_heartbeats WHERE stopped_at IS NULL ORDER BY beat_at DESC LIMIT 1",
    )
    .get() as { owner: string; beatAt: number; activeRuns: number } | undefined;
  const stopped = sqlite.prepare("SELECT MAX(stopped_at) FROM worker_heartbeats").pluck().get() as
    number | null;
  return {
    lastBeatAt: live?.beatAt ?? null,
    owner: live?.owner ?? null,
    activeRuns: live?.activeRuns ?? 0,
    lastStoppedAt: stopped,
  };
}

export function checkWorker(sqlite: Database.Database, now: number): CheckResult {
  const state = workerState(sqlite);
  if (state.lastBeatAt === null)
    return {
      name: "worker",
      ok: false,
      message:
        "No sync worker is running: none has written a heartbeat. Start the web server with UNIONVIEW_WORKER unset (it starts one) or run `npm run worker`.",
    };
  const age = now - state.lastBeatAt;
  if (age > HEARTBEAT_STALE_MS)
    return {
      name: "worker",
      ok: false,
      message: `The sync worker's last heartbeat is ${Math.round(age / 1000)} s old (more than ${HEARTBEAT_STALE_MS / 1000} s): it has stopped or hangs. Check its log lines; restart the server or \`npm run worker\`.`,
    };
  return { name: "worker", ok: true };
}

export function freeDiskBytes(databasePath: string): number {
  const stats = statfsSync(dirname(resolve(databasePath)));
  return Number(stats.bavail) * Number(stats.bsize);
}

export function checkDisk(databasePath: string, minFreeBytes: number): CheckResult {
  try {
    const free = freeDiskBytes(databasePath);
    if (free >= minFreeBytes) return { name: "disk", ok: true };
    return {
      name: "disk",
      ok: false,
      message: `Only ${Math.round(free / 2 ** 20)} MB free on the database's disk (the minimum is ${Math.round(minFreeBytes / 2 ** 20)} MB, HEALTH_MIN_FREE_DISK_MB). Free space or move DATABASE_URL to a larger disk before SQLite runs out.`,
    };
  } catch (error) {
    return {
      name: "disk",
      ok: false,
      message: `Free disk space could not be read: ${(error as Error).message}.`,
    };
  }
}

function guarded(name: CheckName, check: () => CheckResult): CheckResult {
  try {
    return check();
  } catch (error) {
    return { name, ok: false, message: `The ${name} check failed: ${(error as Error).message}.` };
  }
}

/** Every readiness check, each independent of the others' failures. */
export function checkReadiness(deps: ReadinessDeps): Readiness {
  const checks: CheckResult[] = [
    guarded("database", () => checkDatabaseWritable(deps.sqlite, deps.now)),
    guarded("migrations", () => {
      const pending = deps.pendingMigrations(deps.sqlite);
      return pending === 0
        ? { name: "migrations", ok: true }
        : {
            name: "migrations",
            ok: false,
            message: `The database is missing ${pending} migration(s): run \`npm run db:migrate\` with the same DATABASE_URL, then restart.`,
          };
    }),
    guarded("secret-key", () => {
      const status = deps.secretKey();
      return status.ok
        ? { name: "secret-key", ok: true }
        : { name: "secret-key", ok: false, message: status.message };
    }),
    guarded("worker", () => checkWorker(deps.sqlite, deps.now)),
    guarded("disk", () => checkDisk(deps.databasePath, deps.minFreeBytes)),
  ];
  const problems = checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.message}`);
  return { ready: problems.length === 0, checks, problems };
}
