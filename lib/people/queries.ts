import type Database from "better-sqlite3";
import { bitCount } from "@/lib/followers/bits";
import { BEIJING_OFFSET_MS, DAY_MS } from "@/lib/time/beijing";
import type { Cursor, PeopleFilter } from "./filters";
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

export interface FollowDetail {
  accountId: string;
  appid: string;
  accountName: string;
  openid: string;
  subscribed: boolean;
  subscribeTime: number | null;
  unsubscribedAt: number | null;
  subscribeScene: string | null;
  remark: string | null;
  tags: string[];
}

export interface PersonRow {
  id: number;
  unionid: string | null;
  accountsCount: number;
  firstFollowAt: number | null;
  lastFollowAt: number | null;
  follows: FollowDetail[];
}

export interface PeoplePage {
  rows: PersonRow[];
  /** Cursor for the next page (rows after the last one), or null at the end. */
  next: Cursor | null;
  /** Cursor for the previous page, or null on the first page. */
  prev: Cursor | null;
}

const SORT_COLUMN = {
  first: "first_follow_at",
  latest: "last_follow_at",
  accounts: "accounts_count",
} as const;
const SORT_INDEX = { first: "people_first", latest: "people_last", accounts: "people_count" } as const;
/** Partial indexes holding only the people without a unionid, in each sort order. */
const NO_UNIONID_INDEX = {
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

interface Plan {
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

function fromClause(plan: Plan, index: string): string {
  if (plan.driver === "mask") return "people p INDEXED BY people_mask";
  // The rowid is still used for `p.id IN (…)` under NOT INDEXED: the tag's people are read by id.
  if (plan.driver === "tag") return "people p NOT INDEXED";
  return `people p INDEXED BY ${index}`;
}

/** One page of people in the filter's order, by keyset (no OFFSET): `after`/`before` are row cursors. */
export function listPeople(
  sqlite: Database.Database,
  filter: PeopleFilter,
  page: { after?: Cursor | null; before?: Cursor | null; limit?: number } = {},
  options: QueryOptions = {},
): PeoplePage & { plan: Plan } {
  const limit = page.limit ?? 50;
  const plan = planFilter(sqlite, filter, options);
  if (plan.empty) return { rows: [], next: null, prev: null, plan };
  const column = `p.${SORT_COLUMN[filter.sort]}`;
  const backwards = Boolean(page.before) && !page.after;
  const cursor = page.after ?? page.before ?? null;
  // Walking backwards from `before` reads the previous page in reverse, then flips it.
  const ascending = (filter.dir === "asc") !== backwards;
  const where = [...plan.where];
  const params: Record<string, number | string> = { ...plan.params, limit: limit + 1 };
  if (cursor) {
    where.push(`(${column}, p.id) ${ascending ? ">" : "<"} (@cursorValue, @cursorId)`);
    params.cursorValue = cursor.value;
    params.cursorId = cursor.id;
  }
  const order = ascending ? "ASC" : "DESC";
  const index = (filter.noUnionid ? NO_UNIONID_INDEX : SORT_INDEX)[filter.sort];
  const sql = `SELECT p.id, p.unionid, p.accounts_count AS accountsCount, p.first_follow_at AS firstFollowAt,
                      p.last_follow_at AS lastFollowAt, ${column} AS sortValue
                 FROM ${fromClause(plan, index)}
                ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
                ORDER BY ${column} ${order}, p.id ${order} LIMIT @limit`;
  const found = sqlite.prepare(sql).all(params) as (Omit<PersonRow, "follows"> & { sortValue: number })[];
  const more = found.length > limit;
  if (more) found.pop();
  if (backwards) found.reverse();
  const cursorOf = (r: { sortValue: number; id: number }) => ({ value: r.sortValue, id: r.id });
  const firstRow = found[0];
  const lastRow = found[found.length - 1];
  const next = backwards
    ? cursor && lastRow
      ? cursorOf(lastRow)
      : null
    : more && lastRow
      ? cursorOf(lastRow)
      : null;
  const prev = backwards
    ? more && firstRow
      ? cursorOf(firstRow)
      : null
    : cursor && firstRow
      ? cursorOf(firstRow)
      : null;
  const follows = followsOf(
    sqlite,
    found.map((r) => r.id),
  );
  return {
    rows: found.map(({ sortValue: _sortValue, ...r }) => ({ ...r, follows: follows.get(r.id) ?? [] })),
    next,
    prev,
    plan,
  };
}

/** How many people match: free for account-set filters, an indexed count otherwise. */
export function countPeople(
  sqlite: Database.Database,
  filter: PeopleFilter,
  options: QueryOptions = {},
): number {
  const plan = planFilter(sqlite, filter, options);
  if (plan.knownCount !== null) return plan.knownCount;
  const byDate = plan.params.from !== undefined || plan.params.to !== undefined;
  const from = plan.driver ? fromClause(plan, "") : byDate ? "people p INDEXED BY people_first" : "people p";
  return sqlite
    .prepare(`SELECT count(*) FROM ${from} ${plan.where.length ? `WHERE ${plan.where.join(" AND ")}` : ""}`)
    .pluck()
    .get(plan.params) as number;
}

/** Every follower row of the given people, with account names and tag names, grouped by person. */
export function followsOf(sqlite: Database.Database, personIds: number[]): Map<number, FollowDetail[]> {
  const out = new Map<number, FollowDetail[]>();
  if (personIds.length === 0) return out;
  const rows = sqlite
    .prepare(
      `SELECT f.person_id AS personId, a.id AS accountId, a.appid, a.name AS accountName, f.openid, f.subscribed,
              f.subscribe_time AS subscribeTime, f.unsubscribed_at AS unsubscribedAt, f.subscribe_scene AS subscribeScene,
              f.remark, f.tag_ids AS tagIds
         FROM followers f JOIN accounts a ON a.id = f.account_id
        WHERE f.person_id IN (SELECT value FROM json_each(?))
        ORDER BY a.slot`,
    )
    .all(JSON.stringify(personIds)) as (Omit<FollowDetail, "tags" | "subscribed"> & {
    personId: number;
    subscribed: number;
    tagIds: string | null;
  })[];
  const tagNames = tagNamesFor(
    sqlite,
    rows.filter((r) => r.tagIds).map((r) => r.accountId),
  );
  for (const { personId, tagIds, subscribed, ...r } of rows) {
    const ids = tagIds ? (JSON.parse(tagIds) as number[]) : [];
    const detail: FollowDetail = {
      ...r,
      subscribed: subscribed === 1,
      tags: ids.map((id) => tagNames.get(`${r.accountId}:${id}`) ?? `#${id}`),
    };
    const list = out.get(personId);
    if (list) list.push(detail);
    else out.set(personId, [detail]);
  }
  return out;
}

function tagNamesFor(sqlite: Database.Database, accountIds: string[]): Map<string, string> {
  const names = new Map<string, string>();
  if (accountIds.length === 0) return names;
  const rows = sqlite
    .prepare(
      "SELECT account_id AS accountId, tag_id AS tagId, name FROM account_tags WHERE account_id IN (SELECT value FROM json_each(?))",
    )
    .all(JSON.stringify([...new Set(accountIds)])) as { accountId: string; tagId: number; name: string }[];
  for (const r of rows) names.set(`${r.accountId}:${r.tagId}`, r.name);
  return names;
}

/** Every account's tags, for the tag filter. */
export function tagOptions(sqlite: Database.Database) {
  return sqlite
    .prepare(
      `SELECT a.appid, a.name AS accountName, t.tag_id AS tagId, t.name, t.count FROM account_tags t
         JOIN accounts a ON a.id = t.account_id ORDER BY a.slot, t.name`,
    )
    .all() as { appid: string; accountName: string; tagId: number; name: string; count: number }[];
}

/** How many matching people follow each exact set of accounts (the aggregate export). */
export function countsByMask(
  sqlite: Database.Database,
  filter: PeopleFilter,
  options: QueryOptions = {},
): Map<number, number> {
  const plan = planFilter(sqlite, filter, options);
  if (plan.empty) return new Map();
  // perMask counts the account-set part only; a tag's count (the other known count) is not split by mask.
  if (plan.knownCount !== null && !filter.tag) return plan.perMask;
  const rows = sqlite
    .prepare(
      `SELECT p.accounts_mask AS mask, count(*) AS n FROM people p
        ${plan.where.length ? `WHERE ${plan.where.join(" AND ")}` : ""} GROUP BY 1`,
    )
    .all(plan.params) as { mask: number; n: number }[];
  return new Map(rows.map((r) => [r.mask, r.n]));
}
