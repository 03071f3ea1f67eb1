import { DEFAULT_FILTER, peopleQuery, type PeopleFilter } from "@/lib/people/filters";

/** The people list filtered to exactly the people a chart's bar or cell counts. */
export function peopleLink(filter: Partial<PeopleFilter>): string {
  return `/people${peopleQuery({ ...DEFAULT_FILTER, ...filter })}`;
}

export const links = {
  everyone: () => peopleLink({}),
  /** Follows `appid` and no other account. */
  exclusive: (appid: string) => peopleLink({ acc: [appid], min: 1, max: 1 }),
  /** Follows `appid` and at least one other. */
  shared: (appid: string) => peopleLink({ acc: [appid], min: 2 }),
  account: (appid: string) => peopleLink({ acc: [appid] }),
  /** Follows both (and maybe others). */
  pair: (a: string, b: string) => peopleLink({ acc: [a, b], match: "all" }),
  /** Follows exactly k accounts. */
  accountsFollowed: (k: number) => peopleLink({ min: k, max: k }),
  /** The people behind the duplicated follows: everyone following two or more accounts. */
  duplicated: () => peopleLink({ min: 2 }),
  noUnionid: () => peopleLink({ noUnionid: true }),
};
