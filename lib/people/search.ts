import type Database from "better-sqlite3";
import { accountRefs, followsOf, type AccountRef, type PersonRow } from "./rows";

/** Longest search text looked at; anything longer is refused, not truncated silently. */
export const MAX_SEARCH_LENGTH = 200;
export const SEARCH_RESULT_LIMIT = 20;

/** Openids and unionids are 28 characters of base64url; allow a little slack for other issuers. */
const ID_SHAPE = /^[A-Za-z0-9_-]{20,40}$/;
/** Something pasted that was meant to be an id (starts like one, no spaces) but is not well-formed. */
const ID_LIKE = /^o\S{15,60}$/;

export type SearchResult =
  | { kind: "empty" }
  | { kind: "tooLong"; max: number }
  | { kind: "person"; personId: number; via: "openid" | "unionid"; appid?: string }
  | { kind: "unknownId"; malformed: boolean }
  | {
      kind: "list";
      people: PersonRow[];
      truncated: boolean;
      tags: { appid: string; accountName: string; tagId: number; name: string; count: number }[];
    };

/** The person an openid (of any account) or a unionid belongs to. */
export function findPersonById(
  sqlite: Database.Database,
  id: string,
  accounts: AccountRef[] = accountRefs(sqlite),
): { personId: number; via: "openid" | "unionid"; appid?: string } | null {
  const byUnionid = sqlite.prepare("SELECT id FROM people WHERE unionid = ?").pluck().get(id) as
    number | undefined;
  if (byUnionid !== undefined) return { personId: byUnionid, via: "unionid" };
  // One primary-key probe per account: openids are unique within an account, not across them.
  const byOpenid = sqlite
    .prepare("SELECT person_id FROM followers WHERE account_id = ? AND openid = ?")
    .pluck();
  for (const account of accounts) {
    const personId = byOpenid.get(account.id, id) as number | undefined;
    if (personId !== undefined) return { personId, via: "openid", appid: account.appid };
  }
  return null;
}

/** `LIKE` pattern for text that may contain % and _ (escaped with \). */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The header search box: an id → that person; otherwise people whose remark starts with the text
 * (a prefix, ignoring the case of Latin letters, so it is an index range) and tags whose name contains it.
 */
export function searchPeople(sqlite: Database.Database, input: string): SearchResult {
  const text = input.trim();
  if (!text) return { kind: "empty" };
  if ([...text].length > MAX_SEARCH_LENGTH) return { kind: "tooLong", max: MAX_SEARCH_LENGTH };
  const accounts = accountRefs(sqlite);
  if (ID_SHAPE.test(text)) {
    const found = findPersonById(sqlite, text, accounts);
    if (found) return { kind: "person", ...found };
  }

  const ids = sqlite
    .prepare(
      `SELECT DISTINCT person_id FROM followers INDEXED BY followers_remark_nocase
        WHERE remark COLLATE NOCASE >= @text AND remark COLLATE NOCASE < @text || char(1114111) LIMIT @limit`,
    )
    .pluck()
    .all({ text, limit: SEARCH_RESULT_LIMIT + 1 }) as number[];
  const tags = sqlite
    .prepare(
      `SELECT a.appid, a.name AS accountName, t.tag_id AS tagId, t.name, t.count FROM account_tags t
         JOIN accounts a ON a.id = t.account_id
        WHERE t.name LIKE @pattern ESCAPE '\\' ORDER BY t.count DESC LIMIT 20`,
    )
    .all({ pattern: `%${likeEscape(text)}%` }) as {
    appid: string;
    accountName: string;
    tagId: number;
    name: string;
    count: number;
  }[];
  if (ids.length === 0 && tags.length === 0 && (ID_SHAPE.test(text) || ID_LIKE.test(text))) {
    return { kind: "unknownId", malformed: !ID_SHAPE.test(text) };
  }
  const truncated = ids.length > SEARCH_RESULT_LIMIT;
  const shown = ids.slice(0, SEARCH_RESULT_LIMIT);
  const people = shown.length
    ? (sqlite
        .prepare(
          `SELECT id, unionid, accounts_count AS accountsCount, first_follow_at AS firstFollowAt, last_follow_at AS lastFollowAt
             FROM people WHERE id IN (SELECT value FROM json_each(?)) ORDER BY last_follow_at DESC, id DESC`,
        )
        .all(JSON.stringify(shown)) as Omit<PersonRow, "follows">[])
    : [];
  const follows = followsOf(sqlite, shown);
  return {
    kind: "list",
    people: people.map((p) => ({ ...p, follows: follows.get(p.id) ?? [] })),
    truncated,
    tags,
  };
}
