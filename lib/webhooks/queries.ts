import "server-only";
import type Database from "better-sqlite3";
import { sqlite as defaultSqlite } from "@/lib/db";
import type { WebhookEventType } from "./events";

export interface WebhookRow {
  id: number;
  url: string;
  events: WebhookEventType[];
  createdByEmail: string | null;
  createdAt: number;
  /** Deliveries waiting to be sent or retried (counted along the pending-only index). */
  pending: number;
  lastDelivery: { status: string; at: number | null; httpStatus: number | null } | null;
}

/** Every endpoint (never its secret), newest first. */
export function listWebhooks(sqlite: Database.Database = defaultSqlite()): WebhookRow[] {
  const pending = sqlite
    .prepare(
      "SELECT count(*) FROM webhook_deliveries INDEXED BY webhook_deliveries_order WHERE endpoint_id = ? AND status = 'pending'",
    )
    .pluck();
  const last = sqlite.prepare(
    `SELECT status, last_attempt_at AS at, last_status AS httpStatus FROM webhook_deliveries
      WHERE endpoint_id = ? AND attempts > 0 ORDER BY id DESC LIMIT 1`,
  );
  const rows = sqlite
    .prepare(
      `SELECT id, url, events, created_by_email AS createdByEmail, created_at AS createdAt
         FROM webhook_endpoints ORDER BY id DESC`,
    )
    .all() as { id: number; url: string; events: string; createdByEmail: string | null; createdAt: number }[];
  return rows.map((r) => ({
    ...r,
    events: JSON.parse(r.events) as WebhookEventType[],
    pending: pending.get(r.id) as number,
    lastDelivery: (last.get(r.id) as WebhookRow["lastDelivery"] | undefined) ?? null,
  }));
}

export function getWebhook(id: number, sqlite: Database.Database = defaultSqlite()) {
  return listWebhooks(sqlite).find((w) => w.id === id) ?? null;
}

export const DELIVERY_PAGE_SIZE = 50;

export interface DeliveryRow {
  id: number;
  msgId: string;
  type: string;
  openid: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lastStatus: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  lastAttemptAt: number | null;
  nextAttemptAt: number;
  createdAt: number;
}

/** One page of an endpoint's delivery log, newest first, continuing below `beforeId` (keyset). */
export function deliveryLog(
  endpointId: number,
  beforeId?: number,
  sqlite: Database.Database = defaultSqlite(),
): { rows: DeliveryRow[]; nextBeforeId?: number } {
  const rows = sqlite
    .prepare(
      `SELECT d.id, o.msg_id AS msgId, o.type, o.openid, d.status, d.attempts, d.last_status AS lastStatus,
              d.last_latency_ms AS lastLatencyMs, d.last_error AS lastError, d.last_attempt_at AS lastAttemptAt,
              d.next_attempt_at AS nextAttemptAt, d.created_at AS createdAt
         FROM webhook_deliveries d JOIN outbox o ON o.id = d.outbox_id
        WHERE d.endpoint_id = ? AND d.id < ? ORDER BY d.id DESC LIMIT ?`,
    )
    .all(endpointId, beforeId ?? Number.MAX_SAFE_INTEGER, DELIVERY_PAGE_SIZE + 1) as DeliveryRow[];
  const more = rows.length > DELIVERY_PAGE_SIZE;
  const page = rows.slice(0, DELIVERY_PAGE_SIZE);
  return { rows: page, nextBeforeId: more ? page[page.length - 1]!.id : undefined };
}
