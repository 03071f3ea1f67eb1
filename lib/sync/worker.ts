import type Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { WeChatClient } from "@/lib/wechat/client";
import { Semaphore } from "@/lib/wechat/semaphore";
import { errorMessage } from "@/lib/log";
import { runSync } from "./engine";
import { WorkerHeartbeat } from "./heartbeat";
import { cancelRequested, claimRun, finishRun, heartbeat } from "./queue";
import { enqueueDueSchedules } from "./schedule";
import { DiskFullError, isDiskFull } from "./trouble";

const MAX_DISK_BACKOFF_MS = 5 * 60_000;

function appidOf(sqlite: Database.Database, accountId: string): string | undefined {
  return (
    (sqlite.prepare("SELECT appid FROM accounts WHERE id = ?").pluck().get(accountId) as string) ?? undefined
  );
}

export interface WorkerOptions {
  sqlite: Database.Database;
  /** Builds the client for an account, sharing the worker's request budget. */
  clientFor: (accountId: string, shared: { semaphore: Semaphore; onCall: () => void }) => WeChatClient | null;
  now?: () => number;
  /** Runs of different accounts at once. */
  maxRuns?: number;
  /** Requests in flight across all runs (the global budget). */
  maxRequests?: number;
  pollMs?: number;
  leaseMs?: number;
  /** Per account and Beijing day; a run pauses until midnight when it is used up. */
  dailyCallBudget?: number;
  /** Profiles per committed batch (the engine's default unless given; tests use small ones). */
  profileChunk?: number;
  /** Riding out WeChat trouble (see EngineOptions); tests use short ones. */
  troubleBackoffMs?: number;
  troublePersistMs?: number;
  /** First wait after a full disk (doubling while it stays full, at most 5 minutes). Default 5 s. */
  diskFullBackoffMs?: number;
  /** Diagnostic lines; `fields` carry the run id and appid (structured logs). */
  log?: (line: string, fields?: Record<string, unknown>) => void;
}

/**
 * Claims queued, resumable and orphaned runs and executes them, holding each under a lease that a
 * heartbeat extends. Runs in the web server (instrumentation.ts) and alone (`npm run worker`); any
 * number of workers may share a database.
 */
export class SyncWorker {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  private readonly active = new Map<number, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly semaphore: Semaphore;
  private readonly now: () => number;
  /** While the disk is full: no claims before this time, and how long the next wait is. */
  private diskBackoffUntil = 0;
  private diskBackoffMs = 0;
  private heartbeat: WorkerHeartbeat | undefined;

  constructor(private readonly options: WorkerOptions) {
    this.semaphore = new Semaphore(options.maxRequests ?? 8);
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.stopped = false;
    this.heartbeat ??= new WorkerHeartbeat(this.options.sqlite, this.owner, this.now());
    const tick = () => {
      if (this.stopped) return;
      try {
        this.heartbeat?.beat(this.now(), this.active.size);
      } catch (error) {
        // A full disk must not stop the poll loop: the poll itself backs off.
        if (!isDiskFull(error)) throw error;
      }
      this.pollSafely();
      this.timer = setTimeout(tick, this.options.pollMs ?? 1000);
      this.timer.unref?.();
    };
    tick();
  }

  /** Polls now (after a run was queued in this process). */
  wake(): void {
    if (this.stopped) return;
    this.pollSafely();
  }

  /** True while the worker waits for disk space (it claims nothing). */
  get backingOff(): boolean {
    return this.now() < this.diskBackoffUntil;
  }

  private pollSafely(): void {
    try {
      this.poll();
    } catch (error) {
      if (isDiskFull(error)) this.diskFull();
      else this.options.log?.(`sync worker: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * The disk is full: claim nothing for a while (doubling, at most 5 minutes), say so once per wait,
   * then try again by itself. Runs keep their checkpoints; a run whose pause could not be written is
   * claimed again when its lease expires.
   */
  private diskFull(): void {
    if (this.backingOff) return;
    const first = this.options.diskFullBackoffMs ?? 5000;
    this.diskBackoffMs = this.diskBackoffMs ? Math.min(this.diskBackoffMs * 2, MAX_DISK_BACKOFF_MS) : first;
    this.diskBackoffUntil = this.now() + this.diskBackoffMs;
    this.options.log?.(
      `sync worker: the disk holding the database is full; syncs wait ${Math.round(this.diskBackoffMs / 1000)} s, then try again`,
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled(this.active.values());
    try {
      this.heartbeat?.stopped(this.now());
    } catch {
      // The database may already be closed (tests); the row then just goes stale.
    }
  }

  /**
   * Runs until no run is queued or running anywhere (used by the CLI and tests). A run another
   * worker holds is waited for: if that worker died, its lease expires and this one takes over.
   * Runs paused until after midnight are left paused.
   */
  async drain(): Promise<void> {
    const waiting = this.options.sqlite
      .prepare("SELECT COUNT(*) FROM sync_runs WHERE status IN ('queued', 'running')")
      .pluck();
    for (;;) {
      this.poll();
      if (this.active.size > 0) await Promise.race(this.active.values());
      else if ((waiting.get() as number) === 0) return;
      else await new Promise((resolve) => setTimeout(resolve, this.options.pollMs ?? 1000));
    }
  }

  private poll(): void {
    if (this.backingOff) return;
    const { sqlite } = this.options;
    enqueueDueSchedules(sqlite, this.now());
    const leaseMs = this.options.leaseMs ?? 30_000;
    while (this.active.size < (this.options.maxRuns ?? 2)) {
      const claimed = claimRun(sqlite, this.owner, this.now(), leaseMs);
      if (!claimed) return;
      const work = this.execute(claimed.id, claimed.accountId, leaseMs).finally(() =>
        this.active.delete(claimed.id),
      );
      this.active.set(claimed.id, work);
    }
  }

  private async execute(runId: number, accountId: string, leaseMs: number): Promise<void> {
    const { sqlite } = this.options;
    const calls = { count: 0 };
    const client = this.options.clientFor(accountId, {
      semaphore: this.semaphore,
      onCall: () => calls.count++,
    });
    let owned = true;
    const beat = setInterval(
      () => {
        try {
          owned = heartbeat(sqlite, runId, this.owner, this.now() + leaseMs);
        } catch (error) {
          // A full disk must not crash the worker from a timer; the run's own write will notice.
          if (!isDiskFull(error)) throw error;
        }
      },
      Math.max(1000, leaseMs / 5),
    );
    beat.unref?.();
    const fields = { runId, appid: appidOf(sqlite, accountId) };
    try {
      if (!client) {
        finishRun(
          sqlite,
          runId,
          this.owner,
          { status: "failed", error: new Error("The account no longer exists.") },
          this.now(),
        );
        return;
      }
      this.options.log?.("sync run started", fields);
      const outcome = await runSync(runId, {
        sqlite,
        client,
        now: this.now,
        owner: this.owner,
        calls,
        dailyCallBudget: this.options.dailyCallBudget,
        profileChunk: this.options.profileChunk,
        troubleBackoffMs: this.options.troubleBackoffMs,
        troublePersistMs: this.options.troublePersistMs,
        diskFullBackoffMs: this.options.diskFullBackoffMs,
        shouldContinue: () => owned && !this.stopped && !cancelRequested(sqlite, runId),
      });
      if (outcome.status === "paused" && outcome.error instanceof DiskFullError) this.diskFull();
      else this.diskBackoffMs = 0;
      finishRun(sqlite, runId, this.owner, outcome, this.now());
      this.options.log?.(`sync run ${outcome.status}`, {
        ...fields,
        status: outcome.status,
        ...(outcome.status === "failed" || outcome.status === "paused"
          ? { error: errorMessage(outcome.error) }
          : {}),
      });
    } catch (error) {
      // Nothing a run does may take the worker down: a full disk backs off, anything else is logged
      // and the run is claimed again once its lease expires.
      if (isDiskFull(error)) this.diskFull();
      else this.options.log?.("sync run error", { ...fields, error: errorMessage(error) });
    } finally {
      clearInterval(beat);
    }
  }
}
