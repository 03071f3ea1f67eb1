import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqlite } from "@/lib/db/connection";
import { migrateDatabase } from "@/lib/db/migrate";
import { SqliteSignedUrls } from "./signed-urls";

let dir: string;
let file: string;
const open: ReturnType<typeof openSqlite>[] = [];
const connect = () => {
  const sqlite = openSqlite(file);
  open.push(sqlite);
  return sqlite;
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "unionview-signed-urls-"));
  file = join(dir, "test.db");
  migrateDatabase(file);
});
afterEach(() => {
  open.splice(0).forEach((sqlite) => sqlite.close());
  rmSync(dir, { recursive: true, force: true });
});

describe("SqliteSignedUrls", () => {
  it("accepts a URL again with the same body, refuses it with another, per account", () => {
    const urls = new SqliteSignedUrls(connect(), 300);
    expect(urls.bind("a", "sig1", 1000, "<xml>1</xml>", 1000)).toBe(true);
    expect(urls.bind("a", "sig1", 1000, "<xml>1</xml>", 1001)).toBe(true);
    expect(urls.bind("a", "sig1", 1000, "<xml>2</xml>", 1001)).toBe(false);
    expect(urls.bind("b", "sig1", 1000, "<xml>2</xml>", 1001)).toBe(true);
  });

  it("holds across a restart and across processes sharing the database", () => {
    const first = connect();
    expect(new SqliteSignedUrls(first, 300).bind("a", "sig1", 1000, "<xml>1</xml>", 1000)).toBe(true);
    first.close();
    // A new process (its own connection and binding) after the restart, and another one beside it.
    const restarted = new SqliteSignedUrls(connect(), 300);
    const beside = new SqliteSignedUrls(connect(), 300);
    expect(restarted.bind("a", "sig1", 1000, "<xml>2</xml>", 1010)).toBe(false);
    expect(beside.bind("a", "sig1", 1000, "<xml>1</xml>", 1010)).toBe(true);
    expect(beside.bind("a", "sig2", 1005, "<xml>3</xml>", 1010)).toBe(true);
    expect(restarted.bind("a", "sig2", 1005, "<xml>1</xml>", 1010)).toBe(false);
  });

  it("deletes a URL's row once its timestamp has left the window", () => {
    const sqlite = connect();
    const urls = new SqliteSignedUrls(sqlite, 300);
    const rows = () => sqlite.prepare("SELECT signature FROM push_signed_urls ORDER BY 1").pluck().all();
    urls.bind("a", "old", 1000, "x", 1000);
    urls.bind("a", "newer", 1200, "x", 1200);
    expect(rows()).toEqual(["newer", "old"]);
    // 1301 is past old's 1000 + 300, not newer's 1200 + 300.
    expect(urls.forgetExpired(1301, true)).toBe(1);
    expect(rows()).toEqual(["newer"]);
    // bind purges by itself (at most once a second).
    urls.bind("a", "later", 1600, "x", 1600);
    expect(rows()).toEqual(["later"]);
  });
});
