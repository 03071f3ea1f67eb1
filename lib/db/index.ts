import "server-only";
import type Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { env } from "@/lib/env";
import { openSqlite } from "./connection";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema>;

const cache = globalThis as unknown as {
  __unionviewDb?: { path: string; db: Db; sqlite: Database.Database };
};

function connection() {
  const path = env().DATABASE_URL;
  if (cache.__unionviewDb?.path !== path) {
    const sqlite = openSqlite(path);
    cache.__unionviewDb = { path, db: drizzle(sqlite, { schema }), sqlite };
  }
  return cache.__unionviewDb;
}

/** One cached connection per process (also across dev reloads). */
export function db(): Db {
  return connection().db;
}

/** The same connection, for the sync engine's prepared statements. */
export function sqlite(): Database.Database {
  return connection().sqlite;
}

/**
 * A connection of its own to the same file, for one long read (a streamed export) that should neither
 * hold the shared connection nor evict its cache: close it when done.
 */
export function openReader(options: { cacheKib?: number } = {}): Database.Database {
  return openSqlite(env().DATABASE_URL, options);
}

export { schema };
