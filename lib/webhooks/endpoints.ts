import "server-only";
import type Database from "better-sqlite3";
import { z } from "zod";
import { secretBox } from "@/lib/accounts/secret-box";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { sqlite as defaultSqlite } from "@/lib/db";
import { env } from "@/lib/env";
import { WEBHOOK_EVENTS } from "./events";
import { generateWebhookSecret } from "./signing";
import { checkHost } from "./ssrf";

/** Messages are keys under webhooks.errors. */
export const createWebhookSchema = z.object({
  url: z
    .string({ error: "urlRequired" })
    .trim()
    .min(1, "urlRequired")
    .max(2000, "urlTooLong")
    .refine((v) => URL.canParse(v), "urlInvalid")
    .refine((v) => !URL.canParse(v) || ["http:", "https:"].includes(new URL(v).protocol), "urlScheme")
    .refine((v) => !URL.canParse(v) || (!new URL(v).username && !new URL(v).password), "urlCredentials"),
  events: z
    .array(z.enum(WEBHOOK_EVENTS, "eventUnknown"), { error: "eventsRequired" })
    .min(1, "eventsRequired")
    .transform((e) => [...new Set(e)]),
});
export type CreateWebhookInput = z.output<typeof createWebhookSchema>;

export const webhookSecretContext = (id: number) => `webhook/${id}/secret`;

export function openWebhookSecret(id: number, sealed: string): string {
  return secretBox().open(sealed, webhookSecretContext(id));
}

export type CreateWebhookOutcome =
  { ok: true; id: number; secret: string } | { ok: false; reason: "private" | "unresolvable" };

/**
 * Registers an endpoint after checking where its host resolves to; returns the signing secret, the
 * only time it leaves the server. The secret is sealed at rest (it must be used to sign, so it cannot
 * be hashed) and never written to the audit log.
 */
export async function createWebhook(
  input: CreateWebhookInput,
  actor: AuditActor | null,
  sqlite: Database.Database = defaultSqlite(),
): Promise<CreateWebhookOutcome> {
  const allowPrivate = env().UNIONVIEW_WEBHOOK_ALLOW_PRIVATE === "1";
  const host = await checkHost(new URL(input.url).hostname, allowPrivate);
  if (host !== "ok") return { ok: false, reason: host };
  const secret = generateWebhookSecret();
  const id = sqlite.transaction(() => {
    const id = Number(
      sqlite
        .prepare(
          "INSERT INTO webhook_endpoints (url, events, secret_sealed, created_by_id, created_by_email) VALUES (?, ?, '', ?, ?)",
        )
        .run(input.url, JSON.stringify(input.events), actor?.id ?? null, actor?.email ?? null)
        .lastInsertRowid,
    );
    sqlite
      .prepare("UPDATE webhook_endpoints SET secret_sealed = ? WHERE id = ?")
      .run(secretBox().seal(secret, webhookSecretContext(id)), id);
    return id;
  })();
  recordAudit({
    actor,
    action: "webhook.created",
    target: { type: "webhook", id, label: input.url },
    details: { events: input.events },
  });
  return { ok: true, id, secret };
}

/** Deletes an endpoint: it gets nothing more (its pending deliveries are dropped with it). */
export function deleteWebhook(
  id: number,
  actor: AuditActor | null,
  sqlite: Database.Database = defaultSqlite(),
) {
  const row = sqlite.prepare("SELECT url FROM webhook_endpoints WHERE id = ?").get(id) as
    { url: string } | undefined;
  if (!row) return false;
  sqlite.transaction(() => {
    sqlite.prepare("DELETE FROM webhook_deliveries WHERE endpoint_id = ?").run(id);
    sqlite.prepare("DELETE FROM webhook_endpoints WHERE id = ?").run(id);
  })();
  recordAudit({ actor, action: "webhook.deleted", target: { type: "webhook", id, label: row.url } });
  return true;
}

/**
 * Sends a delivery again (a failed one, or a delivered one the receiver lost) under the same
 * webhook-id, with a fresh 24 h retry window.
 */
export function redeliver(
  endpointId: number,
  deliveryId: number,
  actor: AuditActor | null,
  sqlite: Database.Database = defaultSqlite(),
  now = Date.now(),
): boolean {
  const changed = sqlite
    .prepare(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, give_up_at = ?, lease_until = NULL
        WHERE id = ? AND endpoint_id = ? AND status <> 'pending'`,
    )
    .run(now, now + 24 * 60 * 60_000, deliveryId, endpointId).changes;
  if (changed)
    recordAudit({
      actor,
      action: "webhook.redelivered",
      target: { type: "webhook", id: endpointId },
      details: { delivery: deliveryId },
    });
  return changed === 1;
}
