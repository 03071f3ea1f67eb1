import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { WebhookEvent } from "@/lib/apiv1/schemas";
import { RETRY_WINDOW_MS, type WebhookEventType } from "./events";

/** What the follower write model tells the outbox about one change. */
export interface FollowerEvent {
  type: WebhookEventType;
  openid: string;
  personId: number | null;
  unionid: string | null;
  subscribed: boolean;
  /** Seconds, as WeChat gives subscribe_time. */
  subscribeTime: number | null;
}

export interface OutboxWriter {
  record(event: FollowerEvent): void;
}

/**
 * The outbox side of the follower write model: called inside the writer's transaction, so an event is
 * stored if and only if the change it tells of commits. Nothing is written when no endpoint wants the
 * event, or while the account has never finished a sync (its first import would announce every
 * follower). Each matching endpoint gets its delivery row here too, so the worker only reads a queue.
 */
export function outboxWriter(sqlite: Database.Database, accountId: string, now: () => number): OutboxWriter {
  const stmt = statements(sqlite);
  let appid: string | undefined;
  return {
    record(event) {
      if (!stmt.wanted.get(event.type)) return;
      if (stmt.lastSync.get(accountId) == null) return;
      appid ??= (stmt.appid.get(accountId) as string | undefined) ?? "";
      const at = now();
      const msgId = `msg_${randomUUID().replaceAll("-", "")}`;
      const body: WebhookEvent = {
        id: msgId,
        type: event.type,
        createdAt: new Date(at).toISOString(),
        data: {
          appid,
          openid: event.openid,
          unionid: event.unionid,
          personId: event.personId,
          subscribed: event.subscribed,
          subscribeTime: event.subscribeTime ? new Date(event.subscribeTime * 1000).toISOString() : null,
        },
      };
      const outboxId = stmt.insert.run(
        msgId,
        event.type,
        accountId,
        event.openid,
        event.personId,
        JSON.stringify(body),
        at,
      ).lastInsertRowid;
      const openidKey = `${accountId}/${event.openid}`;
      stmt.fanOut.run({
        outboxId,
        orderKey: event.unionid ?? openidKey,
        openidKey,
        type: event.type,
        at,
        giveUpAt: at + RETRY_WINDOW_MS,
      });
    },
  };
}

const prepared = new WeakMap<Database.Database, ReturnType<typeof prepare>>();

function statements(sqlite: Database.Database) {
  let s = prepared.get(sqlite);
  if (!s) prepared.set(sqlite, (s = prepare(sqlite)));
  return s;
}

function prepare(sqlite: Database.Database) {
  const wantsType = `disabled_at IS NULL AND EXISTS (SELECT 1 FROM json_each(events) WHERE value = @type)`;
  return {
    wanted: sqlite
      .prepare(`SELECT 1 FROM webhook_endpoints WHERE ${wantsType.replaceAll("@type", "?")} LIMIT 1`)
      .pluck(),
    lastSync: sqlite.prepare("SELECT last_sync_at FROM account_counts WHERE account_id = ?").pluck(),
    appid: sqlite.prepare("SELECT appid FROM accounts WHERE id = ?").pluck(),
    insert: sqlite.prepare(
      "INSERT INTO outbox (msg_id, type, account_id, openid, person_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    fanOut: sqlite.prepare(
      `INSERT INTO webhook_deliveries (endpoint_id, outbox_id, order_key, openid_key, next_attempt_at, give_up_at, created_at)
       SELECT id, @outboxId, @orderKey, @openidKey, @at, @giveUpAt, @at FROM webhook_endpoints WHERE ${wantsType}`,
    ),
  };
}
