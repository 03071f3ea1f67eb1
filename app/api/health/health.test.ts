import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GET as ready } from "@/app/api/health/ready/route";
import { GET as live } from "@/app/api/health/route";
import { checkSecretKey } from "@/lib/accounts/key-check";
import { sqlite } from "@/lib/db";
import { pendingMigrations } from "@/lib/db/pending-migrations";
import { WorkerHeartbeat } from "@/lib/sync/heartbeat";
import { SyncWorker } from "@/lib/sync/worker";
import { addTestAccount, useTempDatabase } from "@/lib/testing/temp-db";
import { checkReadiness, HEARTBEAT_STALE_MS } from "@/lib/health/readiness";

let cleanup: () => void;
beforeEach(() => {
  cleanup = useTempDatabase();
  addTestAccount("wx00000000000000a1", "pushToken123");
});
afterEach(() => cleanup());

const check = (connection: Database.Database, now: number) =>
  checkReadiness({
    sqlite: connection,
    databasePath: process.env.DATABASE_URL!,
    now,
    minFreeBytes: 0,
    pendingMigrations,
    secretKey: checkSecretKey,
  });

const failed = (result: ReturnType<typeof check>) => result.checks.filter((c) => !c.ok).map((c) => c.name);

describe("readiness", () => {
  it("is ready with a writable database, the migrations, the right key and a fresh worker heartbeat", () => {
    const now = Date.now();
    new WorkerHeartbeat(sqlite(), "test-worker", now).beat(now, 0);
    const result = check(sqlite(), now);
    expect(result.problems).toEqual([]);
    expect(result.ready).toBe(true);
  });

  it("turns not ready while the database refuses writes, and ready again once it takes them", () => {
    const now = Date.now();
    new WorkerHeartbeat(sqlite(), "test-worker", now).beat(now, 0);
    sqlite().pragma("query_only = ON");
    const refused = check(sqlite(), now);
    expect([refused.ready, failed(refused)]).toEqual([false, ["database"]]);
    expect(refused.problems[0]).toMatch(/does not accept writes/);
    sqlite().pragma("query_only = OFF");
    expect(check(sqlite(), now).ready).toBe(true);

    // The same through a connection opened read-only (a file the process may only read).
    const readOnly = new Database(process.env.DATABASE_URL!, { readonly: true });
    try {
      expect(failed(check(readOnly, now))).toEqual(["database"]);
    } finally {
      readOnly.close();
    }
  });

  it("turns not ready when the worker's heartbeat is stale or missing, and ready when it beats again", () => {
    const start = Date.now();
    expect(failed(check(sqlite(), start))).toEqual(["worker"]);
    const beat = new WorkerHeartbeat(sqlite(), "test-worker", start);
    beat.beat(start, 1);
    expect(check(sqlite(), start + HEARTBEAT_STALE_MS).ready).toBe(true);
    const later = start + HEARTBEAT_STALE_MS + 1_000;
    const stale = check(sqlite(), later);
    expect(failed(stale)).toEqual(["worker"]);
    expect(stale.problems[0]).toMatch(/last heartbeat is 31 s old/);
    beat.beat(later, 0);
    expect(check(sqlite(), later).ready).toBe(true);
  });

  it("turns not ready when the configured key cannot open the stored secrets", () => {
    const now = Date.now();
    new WorkerHeartbeat(sqlite(), "test-worker", now).beat(now, 0);
    const result = checkReadiness({
      sqlite: sqlite(),
      databasePath: process.env.DATABASE_URL!,
      now,
      minFreeBytes: Number.MAX_SAFE_INTEGER,
      pendingMigrations: () => 2,
      secretKey: () => ({
        ok: false,
        message: "UNIONVIEW_SECRET_KEY cannot decrypt the stored credentials.",
      }),
    });
    expect(failed(result)).toEqual(["migrations", "secret-key", "disk"]);
  });
});

describe("the health routes", () => {
  const forget = () => delete (globalThis as { __unionviewReadiness?: unknown }).__unionviewReadiness;

  it("answer liveness always, and readiness 200 while a real worker runs and 503 once it stopped", async () => {
    expect((await live()).status).toBe(200);
    forget();
    const before = await ready();
    expect(before.status).toBe(503);
    expect((await before.json()).problems.join(" ")).toMatch(/No sync worker is running/);

    const worker = new SyncWorker({ sqlite: sqlite(), clientFor: () => null, pollMs: 60_000 });
    worker.start();
    forget();
    const running = await ready();
    const body = await running.json();
    expect([running.status, body.status, body.problems]).toEqual([200, "ready", []]);
    expect(JSON.stringify(body)).not.toMatch(/pushToken123|a{32}/);

    await worker.stop();
    forget();
    expect((await ready()).status).toBe(503);
  });
});
