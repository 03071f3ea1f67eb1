import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { insertAccount } from "@/lib/accounts/store";
import { openSqlite } from "@/lib/db/connection";
import { migrateDatabase } from "@/lib/db/migrate";

/** A fresh, migrated SQLite file in its own temp folder. */
function migratedTempFile(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "unionview-test-"));
  const file = join(dir, "test.db");
  migrateDatabase(file);
  return { dir, file };
}

/** A migrated throwaway database with its own connection (for code that takes a connection). */
export function tempDatabase() {
  const { dir, file } = migratedTempFile();
  const sqlite = openSqlite(file);
  return {
    file,
    db: drizzle(sqlite),
    sqlite,
    cleanup: () => {
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Points this test process at a fresh, migrated SQLite file with its own keys, and forgets the
 * per-process caches so lib code opens it. Returns a cleanup function.
 */
export function useTempDatabase(secretKey = randomBytes(32).toString("base64")): () => void {
  const { dir, file } = migratedTempFile();
  Object.assign(process.env, {
    DATABASE_URL: file,
    AUTH_SECRET: randomBytes(32).toString("base64"),
    UNIONVIEW_SECRET_KEY: secretKey,
  });
  resetProcessCaches();
  return () => {
    resetProcessCaches();
    rmSync(dir, { recursive: true, force: true });
  };
}

export function resetProcessCaches(): void {
  const cache = globalThis as Record<string, unknown>;
  for (const key of [
    "__unionviewEnv",
    "__unionviewDb",
    "__unionviewSecretBox",
    "__unionviewKeyStatus",
    "__unionviewSignInBuckets",
    "__unionviewPushRefusals",
    "__unionviewApi",
  ])
    delete cache[key];
}

/** An account in the temp database with placeholder credentials (for tests that never call WeChat). */
export function addTestAccount(appid: string, pushToken?: string): string {
  return insertAccount({
    name: appid,
    appid,
    originalId: "gh_0123456789ab",
    boundToOpenPlatform: true,
    appsecret: "a".repeat(32),
    pushToken,
  });
}

export interface SimAccountInfo {
  appid: string;
  secret: string;
  name: string;
  bound: boolean;
}

/** A database with the simulator's accounts registered (secrets kept in the test, not sealed). */
export function accountsFixture(accounts: SimAccountInfo[]) {
  const database = tempDatabase();
  const ids = new Map<string, string>();
  accounts.forEach((account, slot) => {
    const id = randomUUID();
    ids.set(account.appid, id);
    database.sqlite
      .prepare(
        "INSERT INTO accounts (id, name, appid, original_id, bound_to_open_platform, appsecret_sealed, slot) VALUES (?, ?, ?, 'gh_test00000000', ?, 'unused', ?)",
      )
      .run(id, account.name, account.appid, account.bound ? 1 : 0, slot);
  });
  return { ...database, ids };
}
