import { NO_UNIONID, SUBSCRIBED } from "./follower-table";
import type { Population } from "./population";

export interface Truth {
  accounts: Array<{ appid: string; subscribed: number; withUnionid: number; withoutUnionid: number }>;
  uniquePeople: number;
  followersWithoutUnionid: number;
  summedFollows: number;
  pairwiseOverlap: Array<{ a: string; b: string; people: number }>;
  accountsPerPerson: Record<string, number>;
}

/**
 * Ground truth, recomputed from the live state on every call, so it stays exact after any churn.
 * A "follow" is one subscribed openid of one account; only what user/get and user/info reveal counts.
 * - accounts[].subscribed: the account's follows (user/get's total).
 * - accounts[].withUnionid: follows whose user/info carries a unionid (bound account, not in the
 *   no-unionid share); withoutUnionid = subscribed - withUnionid (all follows of an unbound account).
 * - uniquePeople: distinct unionids over all withUnionid follows.
 * - followersWithoutUnionid: sum of withoutUnionid (the "no UnionID" bucket, counted in follows).
 * - summedFollows: sum of subscribed.
 * - pairwiseOverlap: for each pair of bound accounts (a before b in account order), the number of
 *   unionids that both accounts show.
 * - accountsPerPerson[k]: unionids shown by exactly k accounts; the values add up to uniquePeople.
 */
export function computeTruth(population: Population): Truth {
  const { accounts } = population;
  const masks = new Uint32Array(population.people);
  const rows: Truth["accounts"] = [];
  for (const account of accounts) {
    const { flags, person, length } = account.follows;
    const bit = (1 << account.index) >>> 0;
    let subscribed = 0;
    let withUnionid = 0;
    for (let slot = 0; slot < length; slot++) {
      const f = flags[slot] as number;
      if ((f & SUBSCRIBED) === 0) continue;
      subscribed++;
      if (!account.bound || (f & NO_UNIONID) !== 0) continue;
      withUnionid++;
      const p = person[slot] as number;
      masks[p] = ((masks[p] as number) | bit) >>> 0;
    }
    rows.push({ appid: account.appid, subscribed, withUnionid, withoutUnionid: subscribed - withUnionid });
  }

  const n = accounts.length;
  const pairCounts = new Float64Array(n * n);
  const perPerson = new Float64Array(n + 1);
  let uniquePeople = 0;
  const bits: number[] = [];
  for (let p = 0; p < masks.length; p++) {
    const mask = masks[p] as number;
    if (mask === 0) continue;
    uniquePeople++;
    bits.length = 0;
    for (let a = 0; a < n; a++) if (mask & (1 << a)) bits.push(a);
    perPerson[bits.length] = (perPerson[bits.length] as number) + 1;
    for (let i = 0; i < bits.length; i++) {
      for (let j = i + 1; j < bits.length; j++) {
        const at = (bits[i] as number) * n + (bits[j] as number);
        pairCounts[at] = (pairCounts[at] as number) + 1;
      }
    }
  }

  const pairwiseOverlap: Truth["pairwiseOverlap"] = [];
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const first = accounts[a];
      const second = accounts[b];
      if (!first?.bound || !second?.bound) continue;
      pairwiseOverlap.push({ a: first.appid, b: second.appid, people: pairCounts[a * n + b] as number });
    }
  }
  const accountsPerPerson: Record<string, number> = {};
  for (let k = 1; k <= n; k++) if (perPerson[k]) accountsPerPerson[k] = perPerson[k] as number;

  return {
    accounts: rows,
    uniquePeople,
    followersWithoutUnionid: rows.reduce((sum, r) => sum + r.withoutUnionid, 0),
    summedFollows: rows.reduce((sum, r) => sum + r.subscribed, 0),
    pairwiseOverlap,
    accountsPerPerson,
  };
}
