import "server-only";
import type Database from "better-sqlite3";
import type { Identity } from "@/lib/apiv1/schemas";
import { sqlite as defaultSqlite } from "@/lib/db";
import { audienceStats } from "@/lib/analytics/stats";

interface Statements {
  accounts: Database.Statement;
  byOpenid: Database.Statement;
  byUnionid: Database.Statement;
  person: Database.Statement;
  follows: Database.Statement;
}
const prepared = new WeakMap<Database.Database, Statements>();

/** Every lookup is an index probe: followers' primary key, people's unionid, followers_person. */
function statements(sqlite: Database.Database): Statements {
  let s = prepared.get(sqlite);
  if (!s) {
    s = {
      accounts: sqlite.prepare("SELECT id, appid, name FROM accounts"),
      byOpenid: sqlite.prepare("SELECT person_id FROM followers WHERE account_id = ? AND openid = ?").pluck(),
      byUnionid: sqlite.prepare("SELECT id FROM people WHERE unionid = ?").pluck(),
      person: sqlite.prepare("SELECT id, unionid FROM people WHERE id = ?"),
      follows: sqlite.prepare(
        `SELECT account_id AS accountId, openid, subscribed, subscribe_time AS subscribeTime,
                unsubscribed_at AS unsubscribedAt
           FROM followers WHERE person_id = ?`,
      ),
    };
    prepared.set(sqlite, s);
  }
  return s;
}

interface AccountNames {
  byAppid: Map<string, string>;
  byId: Map<string, { appid: string; name: string }>;
}

function accountNames(s: Statements): AccountNames {
  const rows = s.accounts.all() as { id: string; appid: string; name: string }[];
  return {
    byAppid: new Map(rows.map((r) => [r.appid, r.id])),
    byId: new Map(rows.map((r) => [r.id, { appid: r.appid, name: r.name }])),
  };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function identityOf(s: Statements, names: AccountNames, personId: number): Identity | null {
  const person = s.person.get(personId) as { id: number; unionid: string | null } | undefined;
  if (!person) return null;
  const rows = s.follows.all(personId) as {
    accountId: string;
    openid: string;
    subscribed: number;
    subscribeTime: number | null;
    unsubscribedAt: number | null;
  }[];
  const accounts = rows
    .map((r) => {
      const account = names.byId.get(r.accountId);
      return {
        appid: account?.appid ?? "",
        name: account?.name ?? "",
        openid: r.openid,
        subscribed: r.subscribed === 1,
        subscribeTime: r.subscribeTime === null ? null : iso(r.subscribeTime * 1000),
        unsubscribedAt: iso(r.unsubscribedAt),
      };
    })
    .filter((a) => a.appid !== "")
    .sort((a, b) => (a.appid < b.appid ? -1 : a.appid > b.appid ? 1 : 0));
  return { unionid: person.unionid, personId: person.id, accounts };
}

/** The person behind an openid of one account, with their openids in every account; null if unknown. */
export function identityByOpenid(
  appid: string,
  openid: string,
  sqlite: Database.Database = defaultSqlite(),
): Identity | null {
  return resolveIdentities([{ appid, openid }], sqlite)[0] ?? null;
}

/** Many openids at once, in the order given (null for unknown ones); the account list is read once. */
export function resolveIdentities(
  items: readonly { appid: string; openid: string }[],
  sqlite: Database.Database = defaultSqlite(),
): (Identity | null)[] {
  const s = statements(sqlite);
  const names = accountNames(s);
  const read = sqlite.transaction(() =>
    items.map(({ appid, openid }) => {
      const accountId = names.byAppid.get(appid);
      if (accountId === undefined) return null;
      const personId = s.byOpenid.get(accountId, openid) as number | undefined;
      return personId === undefined ? null : identityOf(s, names, personId);
    }),
  );
  return read.deferred();
}

/** The person with this unionid, in the same shape; null if no follower has it. */
export function identityByUnionid(
  unionid: string,
  sqlite: Database.Database = defaultSqlite(),
): Identity | null {
  const s = statements(sqlite);
  const personId = s.byUnionid.get(unionid) as number | undefined;
  return personId === undefined ? null : identityOf(s, accountNames(s), personId);
}

/** The audience figures of `stats --json` (maintained counts only). */
export function audienceFigures(sqlite: Database.Database = defaultSqlite()) {
  return audienceStats(sqlite);
}
