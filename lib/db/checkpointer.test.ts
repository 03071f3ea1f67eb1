import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { checkpointInBackground } from "./checkpointer";
import { openSqlite } from "./connection";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it("copies the WAL into the database file from another thread while the connection itself never checkpoints", async () => {
  dir = mkdtempSync(join(tmpdir(), "unionview-checkpoint-"));
  const file = join(dir, "db.sqlite");
  const sqlite = openSqlite(file);
  sqlite.exec("CREATE TABLE t (x BLOB)");
  checkpointInBackground(sqlite, file, 100);
  expect(sqlite.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
  const insert = sqlite.prepare("INSERT INTO t VALUES (randomblob(4000))");
  sqlite.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(); // ~8 MB, far past the 1,000-page automatic checkpoint
  })();
  // Written to the WAL only: the database file has not grown.
  expect(statSync(file).size).toBeLessThan(1_000_000);
  const deadline = Date.now() + 20_000;
  while (statSync(file).size < 8_000_000 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  expect(statSync(file).size).toBeGreaterThan(8_000_000);
  sqlite.close();
}, 30_000);
