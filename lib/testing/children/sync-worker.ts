/**
 * A sync worker in its own process, for the crash test: drains the queue of a test database using
 * the simulator's credentials (passed as JSON, appid → secret), then exits.
 * Usage: tsx lib/sync/worker.child.ts <db file> <base url> <credentials json> <lease ms> [profile chunk]
 */
import { drizzle } from "drizzle-orm/better-sqlite3";
import { openSqlite } from "@/lib/db/connection";
import { testClient } from "@/lib/wechat/testing";
import { SyncWorker } from "@/lib/sync/worker";

async function main() {
  const [file, baseUrl, credentials, leaseMs, profileChunk] = process.argv.slice(2);
  if (!file || !baseUrl || !credentials)
    throw new Error("usage: <db> <base url> <credentials json> [lease ms]");
  const secrets = JSON.parse(credentials) as Record<string, string>;
  const sqlite = openSqlite(file);
  const db = drizzle(sqlite);
  const appidOf = sqlite.prepare("SELECT appid FROM accounts WHERE id = ?").pluck();
  const worker = new SyncWorker({
    sqlite,
    leaseMs: Number(leaseMs) || 30_000,
    pollMs: 200,
    profileChunk: Number(profileChunk) || undefined,
    clientFor: (accountId, shared) => {
      const appid = appidOf.get(accountId) as string;
      return testClient(db, baseUrl, { appid, secret: secrets[appid]! }, shared);
    },
  });
  await worker.drain();
  console.log("drained");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
