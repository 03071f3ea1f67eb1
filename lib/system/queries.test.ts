import { afterEach, beforeEach, expect, it } from "vitest";
import { sqlite } from "@/lib/db";
import { WorkerHeartbeat } from "@/lib/sync/heartbeat";
import { enqueueSync } from "@/lib/sync/queue";
import { addTestAccount, useTempDatabase } from "@/lib/testing/temp-db";
import { systemStatus } from "./queries";

let cleanup: () => void;
beforeEach(() => {
  cleanup = useTempDatabase();
});
afterEach(() => cleanup());

it("is all green with a live worker and nothing wrong, and red where the worker, queue or an account fails", () => {
  const now = Date.now();
  const accountId = addTestAccount("wx00000000000000a1");
  new WorkerHeartbeat(sqlite(), "w1", now).beat(now, 0);
  const green = systemStatus(now);
  expect([green.worker.tone, green.queue.tone, green.runs24h.tone, green.errors.tone]).toEqual([
    "ok",
    "ok",
    "ok",
    "ok",
  ]);
  expect(green.backup).toEqual({ tone: "warn", lastAt: null });
  expect(green.storage.databaseBytes).toBeGreaterThan(0);

  // A run queued 11 minutes ago that nobody took, a worker silent for a minute, a failed run and an
  // account whose last call failed.
  const queued = enqueueSync(sqlite(), {
    accountId,
    kind: "full",
    triggeredBy: "test",
    now: now - 11 * 60_000,
  });
  sqlite()
    .prepare("UPDATE sync_runs SET created_at = ? WHERE id = ?")
    .run(now - 11 * 60_000, queued.runId);
  sqlite()
    .prepare(
      "INSERT INTO sync_runs (account_id, kind, status, triggered_by, created_at, started_at, finished_at, error_message) VALUES (?, 'full', 'failed', 'test', ?, ?, ?, 'WeChat refused the AppSecret')",
    )
    .run(accountId, now - 3_600_000, now - 3_600_000, now - 3_500_000);
  sqlite()
    .prepare(
      "UPDATE accounts SET last_error_at = ?, last_error_code = 40164, last_error_path = '/cgi-bin/user/get', last_error_message = 'invalid ip' WHERE id = ?",
    )
    .run(now - 60_000, accountId);
  const later = now + 60_000;
  const red = systemStatus(later);
  expect([red.worker.tone, red.queue.tone, red.runs24h.tone, red.errors.tone]).toEqual([
    "red",
    "red",
    "warn",
    "red",
  ]);
  expect(red.queue.queued).toBe(1);
  expect(red.runs24h.failed).toBe(1);
  expect(red.errors.accounts).toMatchObject([
    { appid: "wx00000000000000a1", code: 40164, path: "/cgi-bin/user/get" },
  ]);
  expect(red.errors.runs[0]?.message).toBe("WeChat refused the AppSecret");
  expect(red.readiness).toEqual({ ready: false, failed: ["worker"] });
});

it("shows the last backup the CLI recorded: amber with none or an old one, green with a recent one", () => {
  const now = Date.now();
  const backup = (at: number) =>
    sqlite().prepare("INSERT INTO audit_log (at, action, details) VALUES (?, 'system.backup', '{}')").run(at);
  backup(now - 3 * 24 * 3600_000);
  expect(systemStatus(now).backup).toEqual({ tone: "warn", lastAt: new Date(now - 3 * 24 * 3600_000) });
  backup(now - 3600_000);
  expect(systemStatus(now).backup).toEqual({ tone: "ok", lastAt: new Date(now - 3600_000) });
});
