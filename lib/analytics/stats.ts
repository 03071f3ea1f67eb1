import type Database from "better-sqlite3";
import { audienceOverview } from "@/lib/analytics/overview";

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
 * The audience as the maintained counts say (the CLI's `stats --json`): the overview's figures in the
 * issue's JSON shape. uniquePeople counts distinct unionids among current followers plus each current
 * follower without a unionid once; pairs nobody shares are left out of `overlap`.
 */
export function audienceStats(sqlite: Database.Database): AudienceStats {
  const overview = audienceOverview(sqlite);
  return {
    accounts: overview.accounts.map((a) => ({
      appid: a.appid,
      name: a.name,
      followers: a.followers,
      reportedTotal: a.reportedTotal,
      withoutUnionid: a.withoutUnionid,
      lastSyncAt: a.lastSyncAt === null ? null : new Date(a.lastSyncAt).toISOString(),
    })),
    summedFollowers: overview.summedFollowers,
    uniquePeople: overview.uniquePeople,
    duplicateFollows: overview.duplicateFollows,
    withoutUnionid: overview.withoutUnionid.total,
    overlap: overview.pairs.filter((p) => p.people > 0).map(({ a, b, people }) => ({ a, b, shared: people })),
    accountsPerPerson: Object.fromEntries(overview.histogram.map((h) => [String(h.accounts), h.people])),
  };
}
