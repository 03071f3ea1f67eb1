import type Database from "better-sqlite3";
import { bitCount } from "./bits";
import type { UserInfo } from "@/lib/wechat/schemas";
import { sceneBit } from "./scenes";
import { outboxWriter, type OutboxWriter } from "@/lib/webhooks/outbox";
import { AggregateDelta } from "./aggregates";

export interface AccountRef {
  id: string;
  slot: number;
  bound: boolean;
}

export interface BatchCounts {
  newFollowers: number;
  returned: number;
  updated: number;
  unfollowed: number;
}

interface ExistingFollower {
  openid: string;
  person_id: number;
  unionid: string | null;
  subscribed: number;
  subscribe_time: number | null;
  subscribe_scene: string | null;
  qr_scene: number | null;
  qr_scene_str: string | null;
  remark: string | null;
  tag_ids: string | null;
  language: string | null;
}

/**
 * What the writer tracks of a person while a batch is applied (people's maintained columns). Changes
 * are made here and written once per person at flush(): each write of a people row rewrites four
 * covering indexes, so a person touched by several statements would pay for them several times.
 */
interface PersonState {
  mask: number;
  noUnionid: boolean;
  scenes: number;
  first: number | null;
  last: number | null;
  /** The row in the database no longer has these values. */
  dirty: boolean;
}

export type ChangeKind = "followed" | "returned" | "unfollowed" | "rejected";

/**
 * Writes followers, their people and the counts for one account. Every method runs inside the
 * caller's transaction; nothing here commits on its own. Prepared statements, because a sync may
 * pass a million rows through here.
 */
export class FollowerWriter {
  private readonly stmt;
  private readonly delta = new AggregateDelta();
  private readonly masks = new Map<number, PersonState>();
  /** Webhook events, written in the caller's transaction with the change (lib/webhooks/outbox.ts). */
  private readonly outbox: OutboxWriter;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly account: AccountRef,
    private readonly now: () => number,
    private readonly onChange?: (openid: string, change: ChangeKind, personId: number | null) => void,
  ) {
    this.outbox = outboxWriter(sqlite, account.id, now);
    this.stmt = {
      followers: sqlite.prepare(
        `SELECT openid, person_id, unionid, subscribed, subscribe_time, subscribe_scene, qr_scene, qr_scene_str,
                remark, tag_ids, language
           FROM followers WHERE account_id = ? AND openid IN (SELECT value FROM json_each(?))`,
      ),
      peopleByUnionid: sqlite.prepare(
        `SELECT id, unionid, accounts_mask AS mask, scene_mask AS scenes, first_follow_at AS first, last_follow_at AS last
           FROM people WHERE unionid IN (SELECT value FROM json_each(?))`,
      ),
      personMask: sqlite.prepare(
        `SELECT accounts_mask AS mask, unionid IS NULL AS noUnionid, scene_mask AS scenes, first_follow_at AS first,
                last_follow_at AS last FROM people WHERE id = ?`,
      ),
      personScenes: sqlite.prepare("SELECT subscribe_scene FROM followers WHERE person_id = ?").pluck(),
      // Not INSERT … RETURNING: better-sqlite3 runs that several times slower than run() + lastInsertRowid.
      insertPerson: sqlite.prepare(
        `INSERT INTO people (unionid, accounts_mask, accounts_count, scene_mask, first_follow_at, last_follow_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      writePerson: sqlite.prepare(
        `UPDATE people SET accounts_mask = ?, accounts_count = ?, scene_mask = ?, first_follow_at = ?, last_follow_at = ?
          WHERE id = ?`,
      ),
      hasFollowers: sqlite.prepare("SELECT 1 FROM followers WHERE person_id = ? LIMIT 1").pluck(),
      deletePerson: sqlite.prepare("DELETE FROM people WHERE id = ?"),
      dropTags: sqlite.prepare("DELETE FROM follower_tags WHERE account_id = ? AND openid = ?"),
      addTag: sqlite.prepare(
        "INSERT OR IGNORE INTO follower_tags (account_id, tag_id, openid, person_id) VALUES (?, ?, ?, ?)",
      ),
      upsert: sqlite.prepare(
        `INSERT INTO followers (account_id, openid, person_id, unionid, subscribed, subscribe_time, subscribe_scene,
                                qr_scene, qr_scene_str, remark, tag_ids, language, first_seen_at, unsubscribed_at,
                                profile_fetched_at)
         VALUES (@account_id, @openid, @person_id, @unionid, 1, @subscribe_time, @subscribe_scene, @qr_scene,
                 @qr_scene_str, @remark, @tag_ids, @language, @now, NULL, @now)
         ON CONFLICT (account_id, openid) DO UPDATE SET
           person_id = excluded.person_id, unionid = excluded.unionid, subscribed = 1,
           subscribe_time = excluded.subscribe_time, subscribe_scene = excluded.subscribe_scene,
           qr_scene = excluded.qr_scene, qr_scene_str = excluded.qr_scene_str, remark = excluded.remark,
           tag_ids = excluded.tag_ids, language = excluded.language, unsubscribed_at = NULL,
           profile_fetched_at = excluded.profile_fetched_at`,
      ),
      unfollow: sqlite.prepare(
        "UPDATE followers SET subscribed = 0, unsubscribed_at = ? WHERE account_id = ? AND openid = ? AND subscribed = 1",
      ),
    };
  }

  private person(personId: number): PersonState {
    let person = this.masks.get(personId);
    if (person === undefined) {
      const row = this.stmt.personMask.get(personId) as
        | { mask: number; noUnionid: number; scenes: number; first: number | null; last: number | null }
        | undefined;
      person = {
        mask: row?.mask ?? 0,
        noUnionid: row?.noUnionid === 1,
        scenes: row?.scenes ?? 0,
        first: row?.first ?? null,
        last: row?.last ?? null,
        dirty: false,
      };
      this.masks.set(personId, person);
    }
    return person;
  }

  private setScenes(personId: number, scenes: number): void {
    const person = this.person(personId);
    if (person.scenes === scenes) return;
    this.delta.scenesChanged(person.mask, person.noUnionid, person.scenes, scenes);
    person.scenes = scenes;
    person.dirty = true;
  }

  /** Recomputes a person's scenes from their follower rows (after a row changed scene or person). */
  private refreshScenes(personId: number): void {
    const scenes = (this.stmt.personScenes.all(personId) as (string | null)[]).reduce(
      (m, s) => m | sceneBit(s),
      0,
    );
    this.setScenes(personId, scenes);
  }

  /**
   * A new person, written at once with the values it has after its first follower (this account's bit,
   * that follower's scene and date), so that follower's own changes find nothing left to write.
   */
  private newPerson(unionid: string | null, followedAt: number, scene: string | null): number {
    const mask = 1 << this.account.slot;
    const scenes = sceneBit(scene);
    const id = Number(
      this.stmt.insertPerson.run(unionid, mask, 1, scenes, followedAt, followedAt).lastInsertRowid,
    );
    const noUnionid = unionid === null;
    this.masks.set(id, { mask, noUnionid, scenes, first: followedAt, last: followedAt, dirty: false });
    this.delta.personAdded(noUnionid, 1);
    this.delta.maskChanged(0, mask, noUnionid, 0);
    this.delta.scenesChanged(mask, noUnionid, 0, scenes);
    return id;
  }

  private setBit(personId: number, on: boolean): void {
    const person = this.person(personId);
    const before = person.mask;
    const bit = 1 << this.account.slot;
    const after = on ? before | bit : before & ~bit;
    if (after === before) return;
    person.mask = after;
    person.dirty = true;
    this.delta.maskChanged(before, after, person.noUnionid, person.scenes);
  }

  /** Earliest and latest follow (seconds; 0 or null means none known yet). */
  private followedAt(personId: number, at: number): void {
    const person = this.person(personId);
    const first = person.first ? Math.min(person.first, at) : at;
    const last = Math.max(person.last ?? 0, at);
    if (first === person.first && last === person.last) return;
    person.first = first;
    person.last = last;
    person.dirty = true;
  }

  /**
   * A follower moved to another person: the one it left goes if nothing else points at it, or else
   * keeps the scenes of the rows it still has.
   */
  private leftBehind(personId: number): void {
    if (this.stmt.hasFollowers.get(personId)) return this.refreshScenes(personId);
    const person = this.person(personId);
    this.stmt.deletePerson.run(personId);
    this.delta.maskChanged(person.mask, 0, person.noUnionid, person.scenes);
    this.delta.personAdded(person.noUnionid, -1, person.scenes);
    this.masks.delete(personId);
  }

  /** Applies fresh profiles from batchget: new, returning, changed or newly unsubscribed followers. */
  applyProfiles(users: UserInfo[], counts: BatchCounts): void {
    if (users.length === 0) return;
    const openids = users.map((u) => u.openid);
    const existing = new Map(
      (this.stmt.followers.all(this.account.id, JSON.stringify(openids)) as ExistingFollower[]).map((f) => [
        f.openid,
        f,
      ]),
    );
    const unionids = users
      .map((u) => (this.account.bound && u.subscribe === 1 ? u.unionid : undefined))
      .filter(Boolean);
    const byUnionid = new Map<string, number>();
    for (const p of this.stmt.peopleByUnionid.all(JSON.stringify(unionids)) as {
      id: number;
      unionid: string;
      mask: number;
      scenes: number;
      first: number | null;
      last: number | null;
    }[]) {
      byUnionid.set(p.unionid, p.id);
      // A person already loaded in this batch may have changes not written yet: keep those.
      if (!this.masks.has(p.id))
        this.masks.set(p.id, {
          mask: p.mask,
          noUnionid: false,
          scenes: p.scenes,
          first: p.first,
          last: p.last,
          dirty: false,
        });
    }
    const at = this.now();

    for (const user of users) {
      const before = existing.get(user.openid);
      if (user.subscribe !== 1) {
        if (before?.subscribed) this.unfollowOne(before, at, counts);
        continue;
      }
      // WeChat only gives unionids through a bound account; an unbound account's follower is its own person.
      const unionid = this.account.bound && user.unionid ? user.unionid : null;
      // Seconds, like subscribe_time; a profile without one counts as following from now.
      const followedAt = user.subscribe_time || Math.floor(at / 1000);
      let personId: number;
      const scene = user.subscribe_scene ?? null;
      let linked = false;
      if (unionid) {
        linked = byUnionid.has(unionid) && byUnionid.get(unionid) !== before?.person_id;
        personId = byUnionid.get(unionid) ?? this.newPerson(unionid, followedAt, scene);
        byUnionid.set(unionid, personId);
      } else if (before && before.unionid === null) {
        personId = before.person_id; // keeps its own person
      } else {
        personId = this.newPerson(null, followedAt, scene);
      }

      if (before?.subscribed) {
        this.delta.follow(this.account.id, before.unionid !== null, -1);
        if (before.person_id !== personId) this.setBit(before.person_id, false);
      }
      this.delta.follow(this.account.id, unionid !== null, 1);
      this.setBit(personId, true);
      this.followedAt(personId, followedAt);

      const row = {
        account_id: this.account.id,
        openid: user.openid,
        person_id: personId,
        unionid,
        subscribe_time: user.subscribe_time ?? null,
        subscribe_scene: user.subscribe_scene ?? null,
        qr_scene: user.qr_scene ?? null,
        qr_scene_str: user.qr_scene_str || null,
        remark: user.remark || null,
        tag_ids: user.tagid_list?.length ? JSON.stringify(user.tagid_list) : null,
        language: user.language || null,
        now: at,
      };
      this.stmt.upsert.run(row);
      if (before && before.person_id !== personId) {
        this.leftBehind(before.person_id);
        this.refreshScenes(personId);
      } else if (before && before.subscribe_scene !== row.subscribe_scene) {
        this.refreshScenes(personId);
      } else {
        this.setScenes(personId, this.person(personId).scenes | sceneBit(row.subscribe_scene));
      }
      // A returning follower's tag rows were dropped when it left, even if its tags are unchanged.
      if (before?.tag_ids !== row.tag_ids || !before?.subscribed || before.person_id !== personId) {
        if (before) this.stmt.dropTags.run(this.account.id, user.openid);
        for (const tag of user.tagid_list ?? [])
          this.stmt.addTag.run(this.account.id, tag, user.openid, personId);
      }

      const event = {
        openid: user.openid,
        personId,
        unionid,
        subscribed: true,
        subscribeTime: row.subscribe_time,
      };
      if (!before?.subscribed) this.outbox.record({ type: "person.followed", ...event });
      if (linked) this.outbox.record({ type: "person.linked", ...event });
      if (!before) {
        counts.newFollowers++;
        this.onChange?.(user.openid, "followed", personId);
      } else if (!before.subscribed) {
        counts.returned++;
        this.onChange?.(user.openid, "returned", personId);
      } else if (
        before.unionid !== row.unionid ||
        before.remark !== row.remark ||
        before.tag_ids !== row.tag_ids ||
        before.subscribe_time !== row.subscribe_time ||
        before.subscribe_scene !== row.subscribe_scene ||
        before.language !== row.language
      ) {
        counts.updated++;
      }
    }
  }

  /** Followers that were subscribed and are gone from the list now. */
  markUnfollowed(openids: string[], counts: BatchCounts): void {
    if (openids.length === 0) return;
    const at = this.now();
    const rows = this.stmt.followers.all(this.account.id, JSON.stringify(openids)) as ExistingFollower[];
    for (const row of rows) if (row.subscribed) this.unfollowOne(row, at, counts);
  }

  private unfollowOne(row: ExistingFollower, at: number, counts: BatchCounts): void {
    this.stmt.unfollow.run(at, this.account.id, row.openid);
    this.stmt.dropTags.run(this.account.id, row.openid);
    this.delta.follow(this.account.id, row.unionid !== null, -1);
    this.setBit(row.person_id, false);
    counts.unfollowed++;
    this.onChange?.(row.openid, "unfollowed", row.person_id);
    this.outbox.record({
      type: "person.unfollowed",
      openid: row.openid,
      personId: row.person_id,
      unionid: row.unionid,
      subscribed: false,
      subscribeTime: row.subscribe_time,
    });
  }

  /**
   * Forgets what was collected since the last flush: call when the transaction was rolled back, or
   * the next flush would write the changes of rows that no longer exist (and people's stale masks).
   */
  discard(): void {
    this.delta.clear();
    this.masks.clear();
  }

  /** Writes the counts collected since the last flush; call before the transaction commits. */
  flush(): void {
    for (const [id, p] of this.masks)
      if (p.dirty) this.stmt.writePerson.run(p.mask, bitCount(p.mask), p.scenes, p.first, p.last, id);
    this.delta.flush(this.sqlite);
    this.masks.clear();
  }
}
