import { NO_UNIONID, SUBSCRIBED } from "./follower-table";
import { pickScene, type AccountRecord, type Population } from "./population";
import type { Rng } from "./prng";

/** Follows and unfollows at run time. Every function returns the slots it actually changed. */

function addSlots(
  account: AccountRecord,
  persons: ArrayLike<number>,
  now: number,
  rng: Rng,
  noUnionid: number,
) {
  const slots: number[] = [];
  for (let i = 0; i < persons.length; i++) {
    const scene = pickScene(rng);
    const flags = SUBSCRIBED | (account.bound && rng.chance(noUnionid) ? NO_UNIONID : 0);
    slots.push(account.follows.append(persons[i] as number, now, scene, flags));
  }
  account.order.insertAtRandom(slots, rng.int);
  account.subscribed += slots.length;
  return slots;
}

/** New people (never seen by any account) follow. */
export function followNew(
  population: Population,
  account: AccountRecord,
  count: number,
  now: number,
  rng: Rng,
  noUnionid: number,
): number[] {
  const persons = Array.from({ length: count }, () => population.people++);
  return addSlots(account, persons, now, rng, noUnionid);
}

/** People who currently follow another account, and never had an openid here, follow this one too. */
export function followShared(
  population: Population,
  account: AccountRecord,
  count: number,
  now: number,
  rng: Rng,
  noUnionid: number,
): number[] {
  const HERE = 1;
  const ELSEWHERE = 2;
  const state = new Uint8Array(population.people);
  for (const other of population.accounts) {
    const { person, flags, length } = other.follows;
    for (let slot = 0; slot < length; slot++) {
      const p = person[slot] as number;
      if (other === account) state[p] = (state[p] as number) | HERE;
      else if ((flags[slot] as number) & SUBSCRIBED) state[p] = (state[p] as number) | ELSEWHERE;
    }
  }
  let candidates = 0;
  for (let p = 0; p < state.length; p++) if (state[p] === ELSEWHERE) candidates++;
  const pool = new Int32Array(candidates);
  for (let p = 0, i = 0; p < state.length; p++) if (state[p] === ELSEWHERE) pool[i++] = p;
  const take = Math.min(count, candidates);
  for (let i = 0; i < take; i++) {
    const j = i + rng.int(candidates - i);
    const t = pool[i] as number;
    pool[i] = pool[j] as number;
    pool[j] = t;
  }
  return addSlots(account, pool.subarray(0, take), now, rng, noUnionid);
}

/** Unsubscribed openids of this account follow again (same openid, new subscribe time). */
export function resubscribe(
  account: AccountRecord,
  slots: readonly number[],
  now: number,
  rng: Rng,
): number[] {
  const changed: number[] = [];
  for (const slot of slots) {
    if (account.follows.isSubscribed(slot) || changed.includes(slot)) continue;
    const scene = pickScene(rng);
    account.follows.flags[slot] = (account.follows.flags[slot] as number) | SUBSCRIBED;
    account.follows.subscribeTime[slot] = now;
    account.follows.scene[slot] = scene;
    account.qrOverrides.delete(slot);
    account.subscribed++;
    changed.push(slot);
  }
  return changed;
}

export function unfollowSlots(account: AccountRecord, slots: readonly number[]): number[] {
  const changed: number[] = [];
  for (const slot of slots) {
    if (!account.follows.isSubscribed(slot)) continue;
    account.follows.flags[slot] = (account.follows.flags[slot] as number) & ~SUBSCRIBED;
    account.subscribed--;
    changed.push(slot);
  }
  return changed;
}

/** `count` random subscribed followers unfollow (fewer if the account has fewer). */
export function unfollowRandom(account: AccountRecord, count: number, rng: Rng): number[] {
  const { flags, length } = account.follows;
  const subscribed: number[] = [];
  for (let slot = 0; slot < length; slot++) if ((flags[slot] as number) & SUBSCRIBED) subscribed.push(slot);
  const take = Math.min(count, subscribed.length);
  for (let i = 0; i < take; i++) {
    const j = i + rng.int(subscribed.length - i);
    const t = subscribed[i] as number;
    subscribed[i] = subscribed[j] as number;
    subscribed[j] = t;
  }
  return unfollowSlots(account, subscribed.slice(0, take));
}
