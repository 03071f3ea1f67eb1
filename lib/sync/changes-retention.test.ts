import { afterEach, beforeEach, expect, it } from "vitest";
import { sqlite } from "@/lib/db";
import { addTestAccount, resetProcessCaches, useTempDatabase } from "@/lib/testing/temp-db";
import { pruneSyncChanges } from "./changes-retention";
import { changesPrunedAfter } from "./queries";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1);
let cleanup: () => void;
beforeEach(() => {
  cleanup = useTempDatabase();
});
afterEach(() => cleanup());

/** A finished (or, with null, still running) run `age` days ago with `changes` change rows. */
function run(accountId: string, age: number | null, changes: number): number {
  const { lastInsertRowid } = sqlite()
    .prepare(
      "INSERT INTO sync_runs (account_id, kind, status, triggered_by, finished_at) VALUES (?, 'incremental', ?, 'test', ?)",
    )
    .run(accountId, age === null ? "running" : "done", age === null ? null : NOW - age * DAY);
  const insert = sqlite().prepare(
    "INSERT INTO sync_changes (run_id, account_id, openid, change) VALUES (?, ?, ?, 'followed')",
  );
  for (let i = 0; i < changes; i++) insert.run(lastInsertRowid, accountId, `o${i}`);
  return Number(lastInsertRowid);
}

const left = () =>
  Object.fromEntries(
    (
      sqlite().prepare("SELECT run_id AS run, count(*) AS n FROM sync_changes GROUP BY run_id").all() as {
        run: number;
        n: number;
      }[]
    ).map((r) => [r.run, r.n]),
  );

it("deletes the change lists of runs finished before the retention, in chunks, and keeps runs and newer lists", () => {
  const a = addTestAccount("wx00000000000000a1");
  run(a, 400, 7);
  run(a, 181, 3);
  const edge = run(a, 180, 2);
  const recent = run(a, 1, 4);
  const running = run(a, null, 5);
  expect(pruneSyncChanges(sqlite(), 180, NOW, 2)).toBe(10);
  expect(left()).toEqual({ [edge]: 2, [recent]: 4, [running]: 5 });
  expect(sqlite().prepare("SELECT count(*) FROM sync_runs").pluck().get()).toBe(5);
  expect(pruneSyncChanges(sqlite(), 180, NOW, 2)).toBe(0);
});

it("keeps everything when the retention is 0", () => {
  const a = addTestAccount("wx00000000000000c3");
  run(a, 5000, 3);
  expect(pruneSyncChanges(sqlite(), 0, NOW)).toBe(0);
  expect(Object.values(left())).toEqual([3]);
});

it("tells the run page that a run finished before the retention has no list any more", () => {
  const ago = (days: number) => ({ finishedAt: new Date(NOW - days * DAY) });
  expect(changesPrunedAfter(ago(181), NOW)).toBe(180);
  expect(changesPrunedAfter(ago(179), NOW)).toBeNull();
  expect(changesPrunedAfter({ finishedAt: null }, NOW)).toBeNull();
  process.env.SYNC_CHANGES_RETENTION_DAYS = "0";
  resetProcessCaches();
  try {
    expect(changesPrunedAfter(ago(5000), NOW)).toBeNull();
  } finally {
    delete process.env.SYNC_CHANGES_RETENTION_DAYS;
  }
});
