import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { resolve } from "node:path";
import { openSqlite } from "./connection";

/** Applies the committed migrations in drizzle/ to the SQLite file at `path`, creating it if needed. */
export function migrateDatabase(path: string): void {
  const sqlite = openSqlite(path);
  try {
    migrate(drizzle(sqlite), { migrationsFolder: resolve(process.cwd(), "drizzle") });
  } finally {
    sqlite.close();
  }
}
