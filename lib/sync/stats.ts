import type Database from "better-sqlite3";

export interface AudienceStats {
  accounts: {
    appid: string;
    name: string;
    followers: number;
    reportedTotal: number | null;
    withoutUnionid: number;
    lastSyncAt: string | null;
  }[];
  summedFollowers: number;
  uniquePeople: number;
  duplicateFollows: number;
  withoutUnionid: number;
  overlap: { a: string; b: string; shared: number }[];
  accountsPerPerson: Record<string, number>;
}

/**
 * The audience as the maintained counts say: no scan of followers. uniquePeople counts distinct
 * unionids among current followers plus each current follower without a unionid once.
 */
export function audienceStats(sqlite: Database.Database): AudienceStats {
  const accounts = sqlite
    .prepare(
      `SELECT a.appid, a.name, a.slot, coalesce(c.followers, 0) AS followers, c.reported_total AS reportedTotal,
              coalesce(c.without_unionid, 0) AS withoutUnionid, c.last_sync_at AS lastSyncAt
         FROM accounts a LEFT JOIN account_counts c ON c.account_id = a.id ORDER BY a.slot`,
    )
    .all() as {
    appid: string;
    name: string;
    slot: number;
    followers: number;
    reportedTotal: number | null;
    withoutUnionid: number;
    lastSyncAt: number | null;
  }[];
  const bySlot = new Map(accounts.map((a) => [a.slot, a.appid]));
  const histogram = sqlite
    .prepare("SELECT accounts, people FROM accounts_histogram WHERE people > 0 ORDER BY accounts")
    .all() as {
    accounts: number;
    people: number;
  }[];
  const overlap = (
    sqlite.prepare("SELECT a, b, people FROM pair_overlap WHERE people > 0 ORDER BY a, b").all() as {
      a: number;
      b: number;
      people: number;
    }[]
  )
    .filter((p) => bySlot.has(p.a) && bySlot.has(p.b))
    .map((p) => ({ a: bySlot.get(p.a)!, b: bySlot.get(p.b)!, shared: p.people }));
  const summedFollowers = accounts.reduce((s, a) => s + a.followers, 0);
  const uniquePeople = histogram.reduce((s, h) => s + h.people, 0);
  return {
    accounts: accounts.map(({ slot: _slot, lastSyncAt, ...a }) => ({
      ...a,
      lastSyncAt: lastSyncAt === null ? null : new Date(lastSyncAt).toISOString(),
    })),
    summedFollowers,
    uniquePeople,
    duplicateFollows: summedFollowers - uniquePeople,
    withoutUnionid: accounts.reduce((s, a) => s + a.withoutUnionid, 0),
    overlap,
    accountsPerPerson: Object.fromEntries(histogram.map((h) => [String(h.accounts), h.people])),
  };
}
