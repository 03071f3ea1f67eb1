import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { insertAccount } from "@/lib/accounts/store";
import { migrateDatabase } from "@/lib/db/migrate";

/**
 * Points this test process at a fresh, migrated SQLite file with its own keys, and forgets the
 * per-process caches so lib code opens it. Returns a cleanup function.
 */
export function useTempDatabase(secretKey = randomBytes(32).toString("base64")): () => void {
  const dir = mkdtempSync(join(tmpdir(), "unionview-test-"));
  const file = join(dir, "test.db");
  migrateDatabase(file);
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
