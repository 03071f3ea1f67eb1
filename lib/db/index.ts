import "server-only";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { env } from "@/lib/env";
import { openSqlite } from "./connection";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema>;

const cache = globalThis as unknown as { __unionviewDb?: { path: string; db: Db } };

/** One cached connection per process (also across dev reloads). */
export function db(): Db {
  const path = env().DATABASE_URL;
  if (cache.__unionviewDb?.path !== path) {
    cache.__unionviewDb = { path, db: drizzle(openSqlite(path), { schema }) };
  }
  return cache.__unionviewDb.db;
}

export { schema };
