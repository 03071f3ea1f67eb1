import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";

/**
 * Opens a SQLite file (creating its folder) with the pragmas every process of UnionView uses.
 * `cacheKib` overrides the 64 MB page cache (a long read such as an export needs little).
 */
export function openSqlite(path: string, options: { cacheKib?: number } = {}): Database.Database {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  // 64 MB of page cache (negative = KiB): a sync's index pages stay in memory between commits.
  sqlite.pragma(`cache_size = -${Math.floor(options.cacheKib ?? 65536)}`);
  return sqlite;
}
