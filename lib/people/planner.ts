import type Database from "better-sqlite3";
import { bitCount } from "@/lib/followers/bits";
import { BEIJING_OFFSET_MS, DAY_MS } from "@/lib/time/beijing";
import type { PeopleFilter } from "./filters";
import { SCENES } from "@/lib/followers/scenes";

/**
 * Below this many candidate people, a filter drives the query (read its matches, then sort them);
 * above it, walking the sort order's index and testing each person is cheaper.
 */
const SELECTIVE = 5_000;

export interface AccountRef {
  id: string;
  appid: string;
  name: string;
  slot: number;
}

export const SORT_COLUMN = {
  first: "first_follow_at",
  latest: "last_follow_at",
  accounts: "accounts_count",
} as const;
export const SORT_INDEX = { first: "people_first", latest: "people_last", accounts: "people_count" } as const;
/** Partial indexes holding only the people without a unionid, in each sort order. */
export const NO_UNIONID_INDEX = {
  first: "people_nounionid_first",
  latest: "people_nounionid_last",
  accounts: "people_nounionid_count",
} as const;

/** Start of a Beijing day, and the last second of one, in seconds (subscribe_time's unit). */
function dayStart(day: string): number {
  return (Date.parse(`${day}T00:00:00Z`) - BEIJING_OFFSET_MS) / 1000;
}

export function accountRefs(sqlite: Database.Database): AccountRef[] {
  return sqlite.prepare("SELECT id, appid, name, slot FROM accounts ORDER BY slot").all() as AccountRef[];
}

export interface Plan {
  /** No one can match (e.g. an account that does not exist, or no people with a matching set). */
  empty: boolean;
  where: string[];
  params: Record<string, number | string>;
  /** Exact size of the set when only account-set and unionid filters apply; null when rows must be counted. */
  knownCount: number | null;
  /** The index-driving candidate, when one filter alone leaves few people. */
  driver: "mask" | "tag" | null;
  unknownAccounts: string[];
  /** People per matching account mask, from mask_counts (before any row-level filter). */
  perMask: Map<number, number>;
}

export interface QueryOptions {
  /** The accounts, when the caller already read them. */
  accounts?: AccountRef[];
  /** Overrides SELECTIVE (tests use it to exercise both query shapes on small data). */
  selective?: number;
}

/**
 * Turns a filter into SQL conditions on people. The account-set part (which accounts, how many,
 * current or left, no unionid) is resolved against mask_counts first: it names the exact masks that
 * match and how many people have them, so those filters never scan people.
 */
export function planFilter(
  sqlite: Database.Database,
  filter: PeopleFilter,
  options: QueryOptions = {},
): Plan {
  const accounts = options.accounts ?? accountRefs(sqlite);
  const selective = options.selective ?? SELECTIVE;
  const byAppid = new Map(accounts.map((a) => [a.appid, a]));
  const unknownAccounts = filter.acc.filter((a) => !byAppid.has(a));
  if (filter.tag && !byAppid.has(filter.tag.appid)) unknownAccounts.push(filter.tag.appid);
  const plan: Plan = {
    empty: false,
    where: [],
    params: {},
    knownCount: null,
    driver: null,
    unknownAccounts,
    perMask: new Map(),
  };
  if (unknownAccounts.length) return { ...plan, empty: true, knownCount: 0 };

  const selected = filter.acc.reduce((m, a) => m | (1 << byAppid.get(a)!.slot), 0);
  const constrained = filter.status !== "all" || selected !== 0 || filter.min !== null || filter.max !== null;
  // With a scene, the same counts restricted to people who have a follow from that scene.
  const scene = filter.scene ? SCENES.indexOf(filter.scene as (typeof SCENES)[number]) : -1;
  const groups = (
    scene >= 0
      ? sqlite
          .prepare(
            "SELECT mask, no_unionid AS noUnionid, people FROM scene_counts WHERE scene = ? AND people > 0",
          )
          .all(scene)
      : sqlite.prepare("SELECT mask, no_unionid AS noUnionid, people FROM mask_counts WHERE people > 0").all()
  ) as {
    mask: number;
    noUnionid: number;
    people: number;
  }[];
  const masks = plan.perMask;
  let matched = 0;
  for (const g of groups) {
    if (filter.noUnionid && !g.noUnionid) continue;
    const n = bitCount(g.mask);
    if (filter.status === "current" && g.mask === 0) continue;
    if (filter.status === "left" && g.mask !== 0) continue;
    if (selected && (filter.match === "all" ? (g.mask & selected) !== selected : (g.mask & selected) === 0))
      continue;
    if (filter.min !== null && n < filter.min) continue;
    if (filter.max !== null && n > filter.max) continue;
    masks.set(g.mask, (masks.get(g.mask) ?? 0) + g.people);
    matched += g.people;
  }
  if (matched === 0) return { ...plan, empty: true, knownCount: 0 };
  if (constrained) plan.where.push(`p.accounts_mask IN (${[...masks.keys()].map((m) => m | 0).join(",")})`);
  if (filter.noUnionid) plan.where.push("p.unionid IS NULL");

  let tagCount = Infinity;
  if (scene >= 0) plan.where.push(`(p.scene_mask & ${1 << scene}) != 0`);
  if (filter.from) {
    plan.where.push("p.first_follow_at >= @from");
    plan.params.from = dayStart(filter.from);
  }
  if (filter.to) {
    plan.where.push("p.first_follow_at < @to");
    plan.params.to = dayStart(filter.to) + DAY_MS / 1000;
  }
  const tagIsTheFilter = tagImpliesFilter(filter, selected, byAppid);
  if (filter.tag) {
    plan.where.push(
      "p.id IN (SELECT person_id FROM follower_tags WHERE account_id = @tagAccount AND tag_id = @tagId)",
    );
    plan.params.tagAccount = byAppid.get(filter.tag.appid)!.id;
    plan.params.tagId = filter.tag.tagId;
    // Counted in full only when it is the answer; otherwise just far enough to choose the driver.
    tagCount = sqlite
      .prepare(
        "SELECT count(*) FROM (SELECT 1 FROM follower_tags WHERE account_id = ? AND tag_id = ? LIMIT ?)",
      )
      .pluck()
      .get(plan.params.tagAccount, filter.tag.tagId, tagIsTheFilter ? -1 : selective + 1) as number;
    if (tagCount === 0) return { ...plan, empty: true, knownCount: 0 };
  }
  const onlySets = !filter.from && !filter.to && !filter.tag;
  plan.knownCount = onlySets ? matched : tagIsTheFilter ? tagCount : null;
  const maskCount = constrained || filter.noUnionid ? matched : Infinity;
  if (Math.min(maskCount, tagCount) <= selective) plan.driver = tagCount < maskCount ? "tag" : "mask";
  return plan;
}

/**
 * follower_tags holds the tags of current follows only, so a tag of account A implies "follows A now":
 * when the rest of the filter asks no more than that, the tag's row count is the answer.
 */
function tagImpliesFilter(filter: PeopleFilter, selected: number, byAppid: Map<string, AccountRef>): boolean {
  if (!filter.tag) return false;
  const tagBit = 1 << byAppid.get(filter.tag.appid)!.slot;
  return (
    (selected === 0 || selected === tagBit) &&
    (filter.min === null || filter.min <= 1) &&
    filter.max === null &&
    filter.status !== "left" &&
    !filter.noUnionid &&
    !filter.scene &&
    !filter.from &&
    !filter.to
  );
}

export function fromClause(plan: Plan, index: string): string {
  if (plan.driver === "mask") return "people p INDEXED BY people_mask";
  // The rowid is still used for `p.id IN (…)` under NOT INDEXED: the tag's people are read by id.
  if (plan.driver === "tag") return "people p NOT INDEXED";
  return `people p INDEXED BY ${index}`;
}
