import type Database from "better-sqlite3";
import type { Cursor, PeopleFilter } from "./filters";
import {
  fromClause,
  NO_UNIONID_INDEX,
  planFilter,
  SORT_COLUMN,
  SORT_INDEX,
  type Plan,
  type QueryOptions,
} from "./planner";

export { accountRefs, type AccountRef, type QueryOptions } from "./planner";

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
