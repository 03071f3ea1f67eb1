import type Database from "better-sqlite3";
import { bitsOf } from "@/lib/followers/bits";

/** A last sync older than this (per schedule) is flagged as stale. */
export const STALE_AFTER_MS = {
  hourly: 3 * 3_600_000,
  daily: 36 * 3_600_000,
  off: 7 * 86_400_000,
} as const;

export interface AccountFigures {
  id: string;
  appid: string;
  name: string;
  slot: number;
  bound: boolean;
  disabled: boolean;
  /** Current followers as synced (account_counts). */
  followers: number;
  /** What user/get.total said at the last listing; null before the first. */
  reportedTotal: number | null;
  withoutUnionid: number;
  /** People who follow this account and no other. */
  exclusive: number;
  /** People who follow this account and at least one other. */
  shared: number;
  lastSyncAt: number | null;
  stale: boolean;
  /** A sync of this account is queued, running or paused. */
  syncing: boolean;
}

export interface PairFigures {
  a: string;
  b: string;
  people: number;
  /** people ÷ the smaller account's followers (null when that account has none). */
  shareOfSmaller: number | null;
}

export interface Overview {
  /** When the figures were read (staleness is judged against it). */
  at: number;
  accounts: AccountFigures[];
  summedFollowers: number;
  uniquePeople: number;
  /** summed − unique: the follows that are a second, third… follow of the same person. */
  duplicateFollows: number;
  /**
   * Follows without a unionid, split by why: the account is not bound to the Open Platform; the
   * profile is not fetched yet (a pushed follow waiting for its fetch); WeChat's profile gave none.
   */
  withoutUnionid: { total: number; unboundAccount: number; profilePending: number; notReturned: number };
  /** People by number of accounts they follow (k ≥ 1, only non-empty buckets). */
  histogram: { accounts: number; people: number }[];
  /** Every pair of accounts (in slot order), including pairs nobody shares. */
  pairs: PairFigures[];
  /** Newest last sync over all accounts. */
  lastSyncAt: number | null;
  /** Some account has never finished a sync. */
  someNeverSynced: boolean;
  /** A sync is queued/running/paused: the figures may still change. */
  provisional: boolean;
}

export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/**
 * The overview's figures, read only from the counts the sync maintains (account_counts, mask_counts,
 * accounts_histogram, pair_overlap): a few hundred rows at most, whatever the number of followers.
 */
export function audienceOverview(sqlite: Database.Database, now = Date.now()): Overview {
  const rows = sqlite
    .prepare(
      `SELECT a.id, a.appid, a.name, a.slot, a.bound_to_open_platform AS bound, a.disabled_at IS NOT NULL AS disabled,
              a.schedule, coalesce(c.followers, 0) AS followers, c.reported_total AS reportedTotal,
              coalesce(c.without_unionid, 0) AS withoutUnionid, c.last_sync_at AS lastSyncAt,
              (SELECT count(*) FROM followers f INDEXED BY followers_profile_pending
                WHERE f.account_id = a.id AND f.profile_fetched_at IS NULL AND f.subscribed = 1 AND f.unionid IS NULL)
                AS profilePending,
              EXISTS (SELECT 1 FROM sync_runs r WHERE r.account_id = a.id AND r.status IN ('queued', 'running', 'paused')) AS syncing
         FROM accounts a LEFT JOIN account_counts c ON c.account_id = a.id ORDER BY a.slot`,
    )
    .all() as {
    id: string;
    appid: string;
    name: string;
    slot: number;
    bound: number;
    disabled: number;
    schedule: keyof typeof STALE_AFTER_MS;
    followers: number;
    reportedTotal: number | null;
    withoutUnionid: number;
    profilePending: number;
    lastSyncAt: number | null;
    syncing: number;
  }[];
  const masks = sqlite
    .prepare("SELECT mask, sum(people) AS people FROM mask_counts WHERE mask != 0 GROUP BY mask")
    .all() as { mask: number; people: number }[];
  const exclusive = new Map<number, number>();
  const shared = new Map<number, number>();
  for (const { mask, people } of masks) {
    const bits = bitsOf(mask);
    const into = bits.length === 1 ? exclusive : shared;
    for (const bit of bits) into.set(bit, (into.get(bit) ?? 0) + people);
  }
  const accounts: AccountFigures[] = rows.map((r) => ({
    id: r.id,
    appid: r.appid,
    name: r.name,
    slot: r.slot,
    bound: r.bound === 1,
    disabled: r.disabled === 1,
    followers: r.followers,
    reportedTotal: r.reportedTotal,
    withoutUnionid: r.withoutUnionid,
    exclusive: exclusive.get(r.slot) ?? 0,
    shared: shared.get(r.slot) ?? 0,
    lastSyncAt: r.lastSyncAt,
    // A disabled account is not expected to sync: its data is old on purpose.
    stale:
      r.disabled === 0 &&
      r.lastSyncAt !== null &&
      now - r.lastSyncAt > (STALE_AFTER_MS[r.schedule] ?? STALE_AFTER_MS.off),
    syncing: r.syncing === 1,
  }));

  const histogram = (
    sqlite
      .prepare("SELECT accounts, people FROM accounts_histogram WHERE accounts > 0 AND people > 0")
      .all() as {
      accounts: number;
      people: number;
    }[]
  ).sort((x, y) => x.accounts - y.accounts);
  const overlap = new Map(
    (
      sqlite.prepare("SELECT a, b, people FROM pair_overlap").all() as {
        a: number;
        b: number;
        people: number;
      }[]
    ).map((p) => [`${p.a}:${p.b}`, p.people]),
  );
  const pairs: PairFigures[] = [];
  for (let i = 0; i < accounts.length; i++) {
    for (let j = i + 1; j < accounts.length; j++) {
      const a = accounts[i]!;
      const b = accounts[j]!;
      const people = overlap.get(`${Math.min(a.slot, b.slot)}:${Math.max(a.slot, b.slot)}`) ?? 0;
      pairs.push({
        a: a.appid,
        b: b.appid,
        people,
        shareOfSmaller: ratio(people, Math.min(a.followers, b.followers)),
      });
    }
  }

  const summedFollowers = accounts.reduce((s, a) => s + a.followers, 0);
  const uniquePeople = histogram.reduce((s, h) => s + h.people, 0);
  const unboundAccount = accounts.filter((a) => !a.bound).reduce((s, a) => s + a.withoutUnionid, 0);
  const withoutTotal = accounts.reduce((s, a) => s + a.withoutUnionid, 0);
  const profilePending = rows.filter((r) => r.bound === 1).reduce((s, r) => s + r.profilePending, 0);
  const synced = accounts.map((a) => a.lastSyncAt).filter((t): t is number => t !== null);
  return {
    at: now,
    accounts,
    summedFollowers,
    uniquePeople,
    duplicateFollows: summedFollowers - uniquePeople,
    withoutUnionid: {
      total: withoutTotal,
      unboundAccount,
      profilePending,
      notReturned: withoutTotal - unboundAccount - profilePending,
    },
    histogram,
    pairs,
    lastSyncAt: synced.length ? Math.max(...synced) : null,
    someNeverSynced: accounts.some((a) => a.lastSyncAt === null && !a.disabled),
    provisional: accounts.some((a) => a.syncing),
  };
}

export interface TrendPoint {
  day: string;
  summedFollowers: number;
  uniquePeople: number;
  withoutUnionid: number;
}

/** The daily snapshots of the whole audience between two Beijing days (inclusive), oldest first. */
export function audienceTrend(sqlite: Database.Database, from: string, to: string): TrendPoint[] {
  return sqlite
    .prepare(
      `SELECT day, followers AS summedFollowers, unique_people AS uniquePeople, without_unionid AS withoutUnionid
         FROM snapshots WHERE scope = 'all' AND day BETWEEN ? AND ? ORDER BY day`,
    )
    .all(from, to) as TrendPoint[];
}
