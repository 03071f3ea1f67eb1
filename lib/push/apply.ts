import type Database from "better-sqlite3";
import { FollowerWriter, type AccountRef, type BatchCounts } from "@/lib/followers/writer";
import { DECIDING_FOLLOW_EVENT } from "@/lib/followers/follow-events";
import { snapshotWriter } from "@/lib/followers/snapshots";
import { beijingDay } from "@/lib/time/beijing";
import type { UserInfo } from "@/lib/wechat/schemas";
import type { PushMessage } from "./xml";

export type PushMode = "plain" | "compat" | "safe";
export type PushOutcome = "applied" | "stale" | "noop" | "message";

export interface PendingPush {
  account: AccountRef;
  message: PushMessage;
  mode: PushMode;
  now: number;
}

interface Batch {
  current: FollowerWriter | null;
}

export interface ApplyResult {
  /** A retry of an event already stored: nothing was changed. */
  duplicate: boolean;
  outcome: PushOutcome | null;
  /** The follower's profile (unionid, scene, tags) should be fetched from WeChat after the reply. */
  needsProfile: boolean;
}

interface FollowerRow {
  subscribed: number;
  unionid: string | null;
  remark: string | null;
  tag_ids: string | null;
  language: string | null;
}

const FOLLOW_EVENTS = ["subscribe", "unsubscribe"];

function noCounts(): BatchCounts {
  return { newFollowers: 0, returned: 0, updated: 0, unfollowed: 0 };
}

/** "qrscene_123" → QR scene 123; "qrscene_promo" → scene string "promo". */
export function qrSceneOf(eventKey: string | null): { qr_scene?: number; qr_scene_str?: string } | null {
  if (!eventKey?.startsWith("qrscene_")) return null;
  const scene = eventKey.slice("qrscene_".length);
  return /^\d{1,10}$/.test(scene) ? { qr_scene: Number(scene) } : { qr_scene: 0, qr_scene_str: scene };
}

/**
 * Applies pushed events to followers, people and the maintained counts through the sync's
 * FollowerWriter, in the same transaction as the event row, so the aggregates stay exact. Writers
 * (and their prepared statements) are kept per account.
 */
export class PushApplier {
  private readonly writers = new Map<string, FollowerWriter>();
  private at = 0;
  private readonly stmt;
  private readonly writeSnapshot;

  constructor(private readonly sqlite: Database.Database) {
    this.writeSnapshot = snapshotWriter(sqlite);
    this.stmt = {
      seen: sqlite
        .prepare(
          "SELECT 1 FROM push_events WHERE account_id = ? AND from_user = ? AND create_time = ? AND event = ?",
        )
        .pluck(),
      newer: sqlite
        .prepare(
          // A newer follow event that changed nothing (noop) still says where the follower stood then.
          `SELECT 1 FROM push_events WHERE account_id = ? AND from_user = ? AND create_time > ?
              AND ${DECIDING_FOLLOW_EVENT} LIMIT 1`,
        )
        .pluck(),
      follower: sqlite.prepare(
        "SELECT subscribed, unionid, remark, tag_ids, language FROM followers WHERE account_id = ? AND openid = ?",
      ),
      insert: sqlite.prepare(
        `INSERT INTO push_events (account_id, from_user, create_time, event, event_key, outcome, mode, received_at)
         VALUES (@accountId, @fromUser, @createTime, @event, @eventKey, @outcome, @mode, @receivedAt)`,
      ),
      accountExists: sqlite.prepare("SELECT 1 FROM accounts WHERE id = ?").pluck(),
      lastEvent: sqlite.prepare("SELECT coalesce(max(id), 0) FROM push_events").pluck(),
      profilePending: sqlite.prepare(
        "UPDATE followers SET profile_fetched_at = NULL WHERE account_id = ? AND openid = ?",
      ),
      changedSince: sqlite
        .prepare(
          `SELECT DISTINCT from_user FROM push_events
            WHERE account_id = ? AND from_user IN (SELECT value FROM json_each(?)) AND id > ?
              AND ${DECIDING_FOLLOW_EVENT}`,
        )
        .pluck(),
    };
  }

  private writer(account: AccountRef): FollowerWriter {
    const key = `${account.id}:${account.slot}:${account.bound ? 1 : 0}`;
    let writer = this.writers.get(key);
    if (!writer) {
      writer = new FollowerWriter(this.sqlite, account, () => this.at);
      this.writers.set(key, writer);
    }
    return writer;
  }

  /**
   * A writer caches the masks of the people it touched until it flushes; another account's writer
   * may change the same person, so the previous writer flushes before another one is used.
   */
  private use(account: AccountRef, batch: Batch): FollowerWriter {
    const writer = this.writer(account);
    if (batch.current && batch.current !== writer) batch.current.flush();
    batch.current = writer;
    return writer;
  }

  apply(account: AccountRef, message: PushMessage, mode: PushMode, now: number): ApplyResult {
    return this.applyBatch([{ account, message, mode, now }])[0]!;
  }

  /**
   * Applies events in one transaction (group commit: a burst costs one commit, not one per event).
   * Each event still sees the ones before it, so retries within the batch are deduplicated too.
   */
  applyBatch(items: readonly PendingPush[]): ApplyResult[] {
    return this.rollingBack(() => {
      const batch: Batch = { current: null };
      const results = items.map((item) => this.applyOne(item, batch));
      batch.current?.flush();
      // Today's trend point follows the counts between syncs (a few small upserts per commit).
      if (results.some((r) => r.outcome === "applied")) this.snapshot(items[items.length - 1]!.now);
      return results;
    });
  }

  /**
   * One IMMEDIATE transaction; when it rolls back, the writers forget what they collected in it
   * (people's masks, count deltas), or the next commit would write those changes once more.
   */
  private rollingBack<T>(work: () => T): T {
    try {
      return this.sqlite.transaction(work).immediate();
    } catch (error) {
      for (const writer of this.writers.values()) writer.discard();
      throw error;
    }
  }

  private applyOne({ account, message, mode, now }: PendingPush, batch: Batch): ApplyResult {
    const { fromUser, createTime, event } = message;
    if (this.stmt.seen.get(account.id, fromUser, createTime, event))
      return { duplicate: true, outcome: null, needsProfile: false };
    this.at = now;
    const row = this.stmt.follower.get(account.id, fromUser) as FollowerRow | undefined;
    let outcome: PushOutcome;
    let needsProfile = false;
    if (FOLLOW_EVENTS.includes(event) && this.stmt.newer.get(account.id, fromUser, createTime)) {
      outcome = "stale";
    } else if (event === "subscribe") {
      if (row?.subscribed) {
        outcome = "noop";
      } else {
        this.subscribe(account, message, row, batch);
        outcome = "applied";
        needsProfile = true;
      }
    } else if (event === "unsubscribe") {
      const counts = noCounts();
      const writer = this.use(account, batch);
      writer.markUnfollowed([fromUser], counts);
      outcome = counts.unfollowed ? "applied" : "noop";
    } else {
      // SCAN or a message from someone we do not know as a follower: WeChat only sends those for
      // followers, so a subscribe was missed. The profile fetch adds them.
      outcome = event === "SCAN" ? "noop" : "message";
      needsProfile = !row?.subscribed;
    }
    this.stmt.insert.run({
      accountId: account.id,
      fromUser,
      createTime,
      event,
      eventKey: message.eventKey,
      outcome,
      mode,
      receivedAt: now,
    });
    return { duplicate: false, outcome, needsProfile };
  }

  /**
   * Follows at once with what is known (the stored unionid of a returning follower, the QR scene);
   * the profile fetched after the reply completes it. Until then the row is marked as not fetched,
   * so a sync asks for it if the fetch never happens.
   */
  private subscribe(
    account: AccountRef,
    message: PushMessage,
    row: FollowerRow | undefined,
    batch: Batch,
  ): void {
    const qr = qrSceneOf(message.eventKey);
    const profile: UserInfo = {
      subscribe: 1,
      openid: message.fromUser,
      subscribe_time: message.createTime,
      ...(qr ? { subscribe_scene: "ADD_SCENE_QR_CODE", ...qr } : {}),
      ...(row?.unionid ? { unionid: row.unionid } : {}),
      ...(row?.remark ? { remark: row.remark } : {}),
      ...(row?.language ? { language: row.language } : {}),
      ...(row?.tag_ids ? { tagid_list: JSON.parse(row.tag_ids) as number[] } : {}),
    };
    const writer = this.use(account, batch);
    writer.applyProfiles([profile], noCounts());
    this.stmt.profilePending.run(account.id, message.fromUser);
  }

  /**
   * Where the event log stands: taken when a profile fetch starts, so that applyProfiles can tell the
   * events stored after it (ids, not times: an event and the fetch it asked for share a millisecond).
   */
  eventMark(): number {
    return this.stmt.lastEvent.get() as number;
  }

  /**
   * Applies profiles fetched after the replies. A follower with a follow/unfollow event stored after
   * `fetchMark` (eventMark() when the fetch started) keeps what that event said: the profile may predate it.
   */
  applyProfiles(account: AccountRef, users: UserInfo[], fetchMark: number, now: number): number {
    if (users.length === 0) return 0;
    return this.rollingBack(() => {
      // Deleted while its profiles were fetched: writing them would bring back its followers and slot bit.
      if (!this.stmt.accountExists.get(account.id)) return 0;
      this.at = now;
      const changed = new Set(
        this.stmt.changedSince.all(
          account.id,
          JSON.stringify(users.map((u) => u.openid)),
          fetchMark,
        ) as string[],
      );
      const fresh = users.filter((u) => !changed.has(u.openid));
      const writer = this.writer(account);
      writer.applyProfiles(fresh, noCounts());
      writer.flush();
      if (fresh.length) this.snapshot(now);
      return fresh.length;
    });
  }

  private snapshot(at: number): void {
    this.writeSnapshot(beijingDay(at), at);
  }
}
