import type { Overview } from "./overview";
import { links } from "./links";

/** The overview's figures shaped for each chart, with the people-list link of every bar and cell. */
export function chartData(overview: Overview) {
  const accounts = overview.accounts.filter((a) => !a.disabled || a.followers > 0);
  const shown = new Set(accounts.map((a) => a.appid));
  return {
    totals: {
      summed: overview.summedFollowers,
      unique: overview.uniquePeople,
      duplicated: overview.duplicateFollows,
      uniqueHref: links.everyone(),
      duplicatedHref: links.duplicated(),
    },
    accounts: accounts.map((a) => ({
      appid: a.appid,
      name: a.name,
      followers: a.followers,
      exclusive: a.exclusive,
      shared: a.shared,
      exclusiveHref: links.exclusive(a.appid),
      sharedHref: links.shared(a.appid),
    })),
    histogram: overview.histogram.map((h) => ({ ...h, href: links.accountsFollowed(h.accounts) })),
    matrix: {
      accounts: accounts.map((a) => ({
        appid: a.appid,
        name: a.name,
        followers: a.followers,
        href: links.account(a.appid),
      })),
      cells: overview.pairs
        .filter((p) => shown.has(p.a) && shown.has(p.b))
        .map((p) => ({ ...p, href: links.pair(p.a, p.b) })),
    },
  };
}
