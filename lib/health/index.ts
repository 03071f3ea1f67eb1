import "server-only";
import { checkSecretKey } from "@/lib/accounts/key-check";
import { sqlite } from "@/lib/db";
import { pendingMigrations } from "@/lib/db/pending-migrations";
import { env } from "@/lib/env";
import { checkReadiness, type Readiness } from "./readiness";

/** Polled every second by load balancers: the checks run at most once per this many ms. */
const CACHE_MS = 1_000;

const cache = globalThis as unknown as {
  __unionviewReadiness?: { at: number; path: string; value: Readiness };
};

/** The process's readiness, cached for a second (the database write and the key check are not free). */
export function readiness(now = Date.now()): Readiness {
  const { DATABASE_URL, HEALTH_MIN_FREE_DISK_MB } = env();
  const hit = cache.__unionviewReadiness;
  if (hit && hit.path === DATABASE_URL && now - hit.at < CACHE_MS && now >= hit.at) return hit.value;
  const value = checkReadiness({
    sqlite: sqlite(),
    databasePath: DATABASE_URL,
    now,
    minFreeBytes: HEALTH_MIN_FREE_DISK_MB * 2 ** 20,
    pendingMigrations,
    secretKey: checkSecretKey,
  });
  cache.__unionviewReadiness = { at: now, path: DATABASE_URL, value };
  return value;
}

export { HEARTBEAT_STALE_MS, type Readiness } from "./readiness";
