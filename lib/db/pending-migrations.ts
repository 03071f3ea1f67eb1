import type Database from "better-sqlite3";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { resolve } from "node:path";

/** How many committed migrations the database has not applied yet. */
export function pendingMigrations(sqlite: Database.Database): number {
  const files = readMigrationFiles({ migrationsFolder: resolve(process.cwd(), "drizzle") });
  const table = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!table) return files.length;
  const applied = sqlite.prepare("SELECT COUNT(*) AS n FROM __drizzle_migrations").get() as { n: number };
  return Math.max(0, files.length - applied.n);
}
