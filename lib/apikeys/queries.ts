import "server-only";
import type Database from "better-sqlite3";
import { sqlite as defaultSqlite } from "@/lib/db";
import { beijingDay } from "@/lib/time/beijing";
import type { ApiScope } from "./scopes";

export interface ApiKeyRow {
  id: number;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  createdByEmail: string | null;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
  requestsToday: number;
  refusedToday: number;
}

/** Every key (never its hash), newest first, with today's (Beijing day) request counts. */
export function listApiKeys(sqlite: Database.Database = defaultSqlite(), now = Date.now()): ApiKeyRow[] {
  const rows = sqlite
    .prepare(
      `SELECT k.id, k.name, k.prefix, k.scopes, k.created_by_email AS createdByEmail, k.created_at AS createdAt,
              k.revoked_at AS revokedAt, k.last_used_at AS lastUsedAt,
              coalesce(u.requests, 0) AS requestsToday, coalesce(u.refused, 0) AS refusedToday
         FROM api_keys k LEFT JOIN api_key_usage u ON u.key_id = k.id AND u.day = ?
        ORDER BY k.id DESC`,
    )
    .all(beijingDay(now)) as (Omit<ApiKeyRow, "scopes"> & { scopes: string })[];
  return rows.map((r) => ({ ...r, scopes: JSON.parse(r.scopes) as ApiScope[] }));
}

/** Requests refused today for keys nobody has (unknown or malformed). */
export function unknownKeyRefusalsToday(
  sqlite: Database.Database = defaultSqlite(),
  now = Date.now(),
): number {
  return (
    (sqlite
      .prepare("SELECT refused FROM api_key_usage WHERE key_id = 0 AND day = ?")
      .pluck()
      .get(beijingDay(now)) as number | undefined) ?? 0
  );
}
