import type Database from "better-sqlite3";
import { bitsOf } from "./bits";

/**
 * Changes to the counts the overview reads, collected while a batch of followers is applied and
 * written in the same transaction, so the counts never disagree with the rows they count.
 */
export class AggregateDelta {
  private readonly followers = new Map<string, number>();
  private readonly withoutUnionid = new Map<string, number>();
  private readonly histogram = new Map<number, number>();
  private readonly pairs = new Map<string, number>();
  /** "mask:noUnionid" → change in people. */
  private readonly masks = new Map<string, number>();
  /** "mask:noUnionid:scene" → change in people. */
  private readonly scenes = new Map<string, number>();

  follow(accountId: string, withUnionid: boolean, sign: 1 | -1): void {
    this.followers.set(accountId, (this.followers.get(accountId) ?? 0) + sign);
    if (!withUnionid) this.withoutUnionid.set(accountId, (this.withoutUnionid.get(accountId) ?? 0) + sign);
  }

  /** A person was created (with mask 0) or deleted (after its mask went to 0). */
  personAdded(noUnionid: boolean, sign: 1 | -1, scenes = 0): void {
    this.maskDelta(0, noUnionid, sign);
    this.sceneDelta(0, noUnionid, scenes, sign);
  }

  /** A person's set of subscribe scenes (people.scene_mask) changed while following `mask`. */
  scenesChanged(mask: number, noUnionid: boolean, before: number, after: number): void {
    this.sceneDelta(mask, noUnionid, before & ~after, -1);
    this.sceneDelta(mask, noUnionid, after & ~before, 1);
  }

  private sceneDelta(mask: number, noUnionid: boolean, scenes: number, delta: number): void {
    for (const scene of bitsOf(scenes)) {
      const key = `${mask}:${noUnionid ? 1 : 0}:${scene}`;
      this.scenes.set(key, (this.scenes.get(key) ?? 0) + delta);
    }
  }

  private maskDelta(mask: number, noUnionid: boolean, delta: number): void {
    const key = `${mask}:${noUnionid ? 1 : 0}`;
    this.masks.set(key, (this.masks.get(key) ?? 0) + delta);
  }

  /** A person's set of followed accounts went from `before` to `after` (bitmasks of account slots). */
  maskChanged(before: number, after: number, noUnionid: boolean, scenes: number): void {
    if (before === after) return;
    this.maskDelta(before, noUnionid, -1);
    this.maskDelta(after, noUnionid, 1);
    this.sceneDelta(before, noUnionid, scenes, -1);
    this.sceneDelta(after, noUnionid, scenes, 1);
    const was = bitsOf(before);
    const now = bitsOf(after);
    if (was.length) this.histogram.set(was.length, (this.histogram.get(was.length) ?? 0) - 1);
    if (now.length) this.histogram.set(now.length, (this.histogram.get(now.length) ?? 0) + 1);
    this.pairDelta(was, -1);
    this.pairDelta(now, 1);
  }

  private pairDelta(bits: number[], sign: 1 | -1): void {
    for (let i = 0; i < bits.length; i++) {
      for (let j = i + 1; j < bits.length; j++) {
        const key = `${bits[i]}:${bits[j]}`;
        this.pairs.set(key, (this.pairs.get(key) ?? 0) + sign);
      }
    }
  }

  /** Writes the collected changes; call inside the batch's transaction. */
  flush(sqlite: Database.Database): void {
    const account = sqlite.prepare(
      `INSERT INTO account_counts (account_id, followers, without_unionid) VALUES (@id, @followers, @without)
       ON CONFLICT (account_id) DO UPDATE SET followers = followers + @followers, without_unionid = without_unionid + @without`,
    );
    const histogram = sqlite.prepare(
      `INSERT INTO accounts_histogram (accounts, people) VALUES (@accounts, @delta)
       ON CONFLICT (accounts) DO UPDATE SET people = people + @delta`,
    );
    const pair = sqlite.prepare(
      `INSERT INTO pair_overlap (a, b, people) VALUES (@a, @b, @delta)
       ON CONFLICT (a, b) DO UPDATE SET people = people + @delta`,
    );
    const mask = sqlite.prepare(
      `INSERT INTO mask_counts (mask, no_unionid, people) VALUES (@mask, @noUnionid, @delta)
       ON CONFLICT (mask, no_unionid) DO UPDATE SET people = people + @delta`,
    );
    for (const [key, delta] of this.masks) {
      if (!delta) continue;
      const [m, noUnionid] = key.split(":").map(Number) as [number, number];
      mask.run({ mask: m, noUnionid, delta });
    }
    const scene = sqlite.prepare(
      `INSERT INTO scene_counts (mask, no_unionid, scene, people) VALUES (@mask, @noUnionid, @scene, @delta)
       ON CONFLICT (mask, no_unionid, scene) DO UPDATE SET people = people + @delta`,
    );
    for (const [key, delta] of this.scenes) {
      if (!delta) continue;
      const [m, noUnionid, sceneIndex] = key.split(":").map(Number) as [number, number, number];
      scene.run({ mask: m, noUnionid, scene: sceneIndex, delta });
    }
    for (const accountId of new Set([...this.followers.keys(), ...this.withoutUnionid.keys()])) {
      const followers = this.followers.get(accountId) ?? 0;
      const without = this.withoutUnionid.get(accountId) ?? 0;
      if (followers || without) account.run({ id: accountId, followers, without });
    }
    for (const [accounts, delta] of this.histogram) if (delta) histogram.run({ accounts, delta });
    for (const [key, delta] of this.pairs) {
      if (!delta) continue;
      const [a, b] = key.split(":").map(Number) as [number, number];
      pair.run({ a, b, delta });
    }
    this.clear();
  }

  /** Forgets the collected changes (their transaction was rolled back). */
  clear(): void {
    this.followers.clear();
    this.withoutUnionid.clear();
    this.histogram.clear();
    this.pairs.clear();
    this.masks.clear();
    this.scenes.clear();
  }
}
