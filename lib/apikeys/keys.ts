import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import { z } from "zod";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { sqlite as defaultSqlite } from "@/lib/db";
import { API_SCOPES, type ApiScope } from "./scopes";

/** `uv_` + 32 random bytes in base64url (256 bits): a hash without salt or stretching is enough. */
export const KEY_PREFIX = "uv_";
const KEY_SHAPE = /^uv_[A-Za-z0-9_-]{43}$/;

export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString("base64url");
}

export function looksLikeApiKey(value: string): boolean {
  return KEY_SHAPE.test(value);
}

/** What is stored: the key's SHA-256 in hex. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** The form's and the CLI's input; messages are keys under apikeys.errors. */
export const createApiKeySchema = z.object({
  name: z.string({ error: "nameRequired" }).trim().min(1, "nameRequired").max(64, "nameTooLong"),
  scopes: z
    .array(z.enum(API_SCOPES, "scopeUnknown"), { error: "scopesRequired" })
    .min(1, "scopesRequired")
    .transform((s) => [...new Set(s)]),
});
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;

/**
 * Creates a key and returns it: the only time it exists outside the caller's hands. The audit entry
 * names the key and its scopes, never the key.
 */
export function createApiKey(
  input: { name: string; scopes: ApiScope[] },
  actor: AuditActor | null,
  sqlite: Database.Database = defaultSqlite(),
): { id: number; key: string; prefix: string } {
  const key = generateApiKey();
  const prefix = key.slice(0, KEY_PREFIX.length + 6);
  const id = Number(
    sqlite
      .prepare(
        "INSERT INTO api_keys (name, prefix, key_hash, scopes, created_by_id, created_by_email) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(
        input.name,
        prefix,
        hashApiKey(key),
        JSON.stringify(input.scopes),
        actor?.id ?? null,
        actor?.email ?? null,
      ).lastInsertRowid,
  );
  recordAudit({
    actor,
    action: "apikey.created",
    target: { type: "apikey", id, label: input.name },
    details: { scopes: input.scopes, prefix },
  });
  return { id, key, prefix };
}

/** Revokes a key at once (the next request with it gets 401). */
export function revokeApiKey(
  id: number,
  actor: AuditActor | null,
  sqlite: Database.Database = defaultSqlite(),
): "revoked" | "already" | "missing" {
  const row = sqlite
    .prepare("SELECT name, prefix, revoked_at AS revokedAt FROM api_keys WHERE id = ?")
    .get(id) as { name: string; prefix: string; revokedAt: number | null } | undefined;
  if (!row) return "missing";
  if (row.revokedAt !== null) return "already";
  sqlite
    .prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
    .run(Date.now(), id);
  recordAudit({
    actor,
    action: "apikey.revoked",
    target: { type: "apikey", id, label: row.name },
    details: { prefix: row.prefix },
  });
  return "revoked";
}
