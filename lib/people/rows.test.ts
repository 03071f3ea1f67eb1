import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "@/lib/simulator";
import { syncOnce } from "@/lib/sync/testing";
import { DEFAULT_FILTER, parsePeopleParams, peopleQuery, SCENES, type PeopleFilter } from "./filters";
import { planFilter } from "./planner";
import { accountRefs, countPeople, countsByMask, listPeople } from "./rows";
import { searchPeople } from "./search";
import { simAdmin } from "@/lib/simulator/testing";
import { accountsFixture, type SimAccountInfo } from "@/lib/testing/temp-db";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let accounts: SimAccountInfo[];
let fixture: ReturnType<typeof accountsFixture>;

interface Brute {
  id: number;
  unionid: string | null;
  first: number;
  latest: number;
  current: Set<string>;
  scenes: Set<string>;
  tags: Set<string>;
}

/** Every person rebuilt from the follower rows alone, for comparing with the indexed queries. */
function bruteForcePeople(): Brute[] {
  const people = fixture.sqlite
    .prepare("SELECT id, unionid, first_follow_at AS first, last_follow_at AS latest FROM people")
    .all() as { id: number; unionid: string | null; first: number; latest: number }[];
  const byId = new Map<number, Brute>(
    people.map((p) => [p.id, { ...p, current: new Set(), scenes: new Set(), tags: new Set() }]),
  );
  const followers = fixture.sqlite
    .prepare(
      "SELECT f.person_id, a.appid, f.subscribed, f.subscribe_scene, f.tag_ids FROM followers f JOIN accounts a ON a.id = f.account_id",
    )
    .all() as {
    person_id: number;
    appid: string;
    subscribed: number;
    subscribe_scene: string | null;
    tag_ids: string | null;
  }[];
  for (const f of followers) {
    const p = byId.get(f.person_id)!;
    if (f.subscribed) p.current.add(f.appid);
    if (f.subscribe_scene) p.scenes.add(f.subscribe_scene);
    // A tag belongs to a current follow: who left an account keeps no tags there.
    if (f.subscribed)
      for (const tag of JSON.parse(f.tag_ids ?? "[]") as number[]) p.tags.add(`${f.appid}:${tag}`);
  }
  return [...byId.values()];
}

const beijingDayStart = (day: string) => Date.parse(`${day}T00:00:00+08:00`) / 1000;

function bruteForce(all: Brute[], f: PeopleFilter): Brute[] {
  const matches = all.filter((p) => {
    const n = p.current.size;
    if (f.status === "current" && n === 0) return false;
    if (f.status === "left" && n !== 0) return false;
    if (
      f.acc.length &&
      (f.match === "all" ? !f.acc.every((a) => p.current.has(a)) : !f.acc.some((a) => p.current.has(a)))
    )
      return false;
    if (f.min !== null && n < f.min) return false;
    if (f.max !== null && n > f.max) return false;
    if (f.noUnionid && p.unionid !== null) return false;
    if (f.scene && !p.scenes.has(f.scene)) return false;
    if (f.from && p.first < beijingDayStart(f.from)) return false;
    if (f.to && p.first >= beijingDayStart(f.to) + 86_400) return false;
    if (f.tag && !p.tags.has(`${f.tag.appid}:${f.tag.tagId}`)) return false;
    return true;
  });
  const key = (p: Brute) => (f.sort === "first" ? p.first : f.sort === "latest" ? p.latest : p.current.size);
  const sign = f.dir === "asc" ? 1 : -1;
  return matches.sort((x, y) => sign * (key(x) - key(y) || x.id - y.id));
}

/** Random filters over the population's real accounts, scenes, tags and dates. */
function randomFilters(count: number, all: Brute[]): PeopleFilter[] {
  let seed = 42;
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const appids = accounts.map((a) => a.appid);
  const tags = [...new Set(all.flatMap((p) => [...p.tags]))];
  const days = all.map((p) => new Date((p.first + 8 * 3600) * 1000).toISOString().slice(0, 10)).sort();
  const filters: PeopleFilter[] = [];
  for (let i = 0; i < count; i++) {
    const f: PeopleFilter = { ...DEFAULT_FILTER, acc: [] };
    if (rand() < 0.5) f.acc = appids.filter(() => rand() < 0.4);
    if (rand() < 0.5) f.match = "all";
    if (rand() < 0.3) f.min = Math.floor(rand() * 4);
    if (rand() < 0.2) f.max = 1 + Math.floor(rand() * 3);
    f.status = pick(["current", "current", "left", "all"] as const);
    if (rand() < 0.2) f.noUnionid = true;
    if (rand() < 0.2) f.scene = pick(SCENES);
    if (rand() < 0.25) {
      f.from = pick(days);
      f.to = rand() < 0.5 ? pick(days.filter((d) => d >= f.from!)) : null;
    }
    if (rand() < 0.2 && tags.length) {
      const [appid, tagId] = pick(tags).split(":");
      f.tag = { appid: appid!, tagId: Number(tagId) };
    }
    f.sort = pick(["first", "latest", "accounts"] as const);
    f.dir = pick(["asc", "desc"] as const);
    filters.push(f);
  }
  return filters;
}

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    seed: 5,
    accounts: 4,
    followers: [700, 500, 400, 300],
    overlap: 0.5,
    unbound: 1,
  });
  accounts = await simAdmin<SimAccountInfo[]>(sim.url, "/__sim/accounts");
  fixture = accountsFixture(accounts);
  for (const account of accounts) await syncOnce(fixture, sim.url, account, "full");
  await simAdmin(sim.url, "/__sim/churn", { follow: 30, unfollow: 60, shared: 0.5 });
  for (const account of accounts) await syncOnce(fixture, sim.url, account, "incremental");
}, 60_000);
afterAll(async () => {
  fixture?.cleanup();
  await sim?.close();
});

describe("people queries against a brute-force recount", () => {
  it("the population has what the filters need: left people, no-unionid people, tags, several accounts each", () => {
    const all = bruteForcePeople();
    expect(all.filter((p) => p.current.size === 0).length).toBeGreaterThan(10);
    expect(all.filter((p) => p.unionid === null).length).toBeGreaterThan(10);
    expect(all.filter((p) => p.tags.size > 0).length).toBeGreaterThan(10);
    expect(all.filter((p) => p.current.size >= 3).length).toBeGreaterThan(10);
  });

  it("every filter, sort and page size returns exactly the brute-force list, walking forward and back by keyset", () => {
    const all = bruteForcePeople();
    for (const filter of randomFilters(60, all)) {
      const expected = bruteForce(all, filter).map((p) => p.id);
      for (const selective of [0, 1_000_000]) {
        const options = { selective };
        const label = `${peopleQuery(filter)} selective=${selective}`;
        expect(countPeople(fixture.sqlite, filter, options), label).toBe(expected.length);
        const pages: number[][] = [];
        let page = listPeople(fixture.sqlite, filter, { limit: 37 }, options);
        pages.push(page.rows.map((r) => r.id));
        while (page.next) {
          page = listPeople(fixture.sqlite, filter, { after: page.next, limit: 37 }, options);
          pages.push(page.rows.map((r) => r.id));
        }
        expect(pages.flat(), label).toEqual(expected);
        // Back from the last page to the first, by `before` cursors.
        for (let i = pages.length - 2; i >= 0 && page.prev; i--) {
          page = listPeople(fixture.sqlite, filter, { before: page.prev, limit: 37 }, options);
          expect(
            page.rows.map((r) => r.id),
            `${label} back to page ${i}`,
          ).toEqual(pages[i]);
        }
      }
    }
  }, 60_000);

  it("a tag alone, or with its own account, is counted from the tag's rows and matches brute force", () => {
    const all = bruteForcePeople();
    const tags = [...new Set(all.flatMap((p) => [...p.tags]))];
    expect(tags.length).toBeGreaterThan(1);
    for (const key of tags) {
      const [appid, tagId] = key.split(":");
      const tag = { appid: appid!, tagId: Number(tagId) };
      for (const filter of [
        { ...DEFAULT_FILTER, tag },
        { ...DEFAULT_FILTER, tag, acc: [tag.appid], match: "all" as const, min: 1 },
        { ...DEFAULT_FILTER, tag, status: "all" as const },
        { ...DEFAULT_FILTER, tag, status: "left" as const },
      ]) {
        const plan = planFilter(fixture.sqlite, filter);
        const expected = bruteForce(all, filter).length;
        expect(countPeople(fixture.sqlite, filter), peopleQuery(filter)).toBe(expected);
        if (filter.status !== "left") expect(plan.knownCount, peopleQuery(filter)).toBe(expected);
        const byMask = [...countsByMask(fixture.sqlite, filter).values()].reduce((sum, n) => sum + n, 0);
        expect(byMask, `aggregate export of ${peopleQuery(filter)}`).toBe(expected);
      }
    }
  });

  it("the aggregate export's per-combination counts add up to the filtered count", () => {
    const all = bruteForcePeople();
    for (const filter of randomFilters(20, all)) {
      const byMask = countsByMask(fixture.sqlite, filter);
      const total = [...byMask.values()].reduce((s, n) => s + n, 0);
      expect(total, peopleQuery(filter)).toBe(bruteForce(all, filter).length);
    }
  });

  it("URL parameters round-trip, and malformed ones are named and dropped", () => {
    const all = bruteForcePeople();
    for (const filter of randomFilters(30, all)) {
      const params = Object.fromEntries(new URLSearchParams(peopleQuery(filter)));
      const parsed = parsePeopleParams(params);
      expect(parsed.ignored).toEqual([]);
      expect(peopleQuery(parsed.filter)).toBe(peopleQuery(filter));
    }
    const bad = parsePeopleParams({
      min: "-1",
      acc: "not-an-appid",
      from: "2026-13-40",
      sort: "drop table",
      after: "x",
      accounts: "wx0000000000000000",
    });
    expect(bad.ignored.sort()).toEqual(["acc", "accounts", "after", "from", "min", "sort"]);
    expect(bad.filter).toEqual(DEFAULT_FILTER);
  });

  it("an appid that is not registered matches no one and is reported", () => {
    const page = listPeople(fixture.sqlite, { ...DEFAULT_FILTER, acc: ["wx0000000000000000"] });
    expect(page.rows).toEqual([]);
    expect(page.plan.unknownAccounts).toEqual(["wx0000000000000000"]);
  });
});

describe("search dispatch", () => {
  it("an openid of any account and a unionid both land on the person", () => {
    const refs = accountRefs(fixture.sqlite);
    const shared = fixture.sqlite
      .prepare(
        "SELECT f.openid, f.account_id, p.id, p.unionid FROM followers f JOIN people p ON p.id = f.person_id WHERE p.accounts_count >= 2 LIMIT 1",
      )
      .get() as { openid: string; account_id: string; id: number; unionid: string };
    expect(searchPeople(fixture.sqlite, shared.openid)).toMatchObject({
      kind: "person",
      personId: shared.id,
      via: "openid",
      appid: refs.find((a) => a.id === shared.account_id)!.appid,
    });
    expect(searchPeople(fixture.sqlite, `  ${shared.unionid}\n`)).toMatchObject({
      kind: "person",
      personId: shared.id,
      via: "unionid",
    });
  });

  it("an unknown or malformed id says so; hostile text is harmless and bounded", () => {
    expect(searchPeople(fixture.sqlite, "oAbCdEfGhIjKlMnOpQrStUvWxYz0")).toEqual({
      kind: "unknownId",
      malformed: false,
    });
    expect(searchPeople(fixture.sqlite, "oAbCdEfGhIjKl!nOpQrStUvWxYz0")).toEqual({
      kind: "unknownId",
      malformed: true,
    });
    expect(searchPeople(fixture.sqlite, "   ")).toEqual({ kind: "empty" });
    expect(searchPeople(fixture.sqlite, "x".repeat(10_000))).toEqual({ kind: "tooLong", max: 200 });
    for (const text of ["' OR 1=1 --", "%", "_", '"; DROP TABLE people; --', "😀🎉", "100%_off"]) {
      const result = searchPeople(fixture.sqlite, text);
      expect(result.kind, text).toBe("list");
      if (result.kind === "list") expect(result.people, text).toEqual([]);
    }
    expect(fixture.sqlite.prepare("SELECT count(*) FROM people").pluck().get()).toBeGreaterThan(0);
  });

  it("a remark prefix ignores the case of Latin letters", () => {
    const rows = fixture.sqlite
      .prepare(
        "SELECT account_id, openid, person_id FROM followers WHERE person_id IS NOT NULL GROUP BY person_id LIMIT 4",
      )
      .all() as { account_id: string; openid: string; person_id: number }[];
    const remarks = ["Zhang San", "ZHANG Wei", "zhao", "张三 Zhang"];
    const setRemark = fixture.sqlite.prepare(
      "UPDATE followers SET remark = ? WHERE account_id = ? AND openid = ?",
    );
    const before = rows.map(
      (r) =>
        fixture.sqlite
          .prepare("SELECT remark FROM followers WHERE account_id = ? AND openid = ?")
          .pluck()
          .get(r.account_id, r.openid) as string | null,
    );
    rows.forEach((r, i) => setRemark.run(remarks[i], r.account_id, r.openid));
    try {
      const found = (text: string) => {
        const result = searchPeople(fixture.sqlite, text);
        return result.kind === "list" ? result.people.map((p) => p.id) : [];
      };
      const idsOf = (...i: number[]) => i.map((k) => rows[k]!.person_id);
      expect(found("zhang").sort()).toEqual(expect.arrayContaining(idsOf(0, 1).sort()));
      expect(found("zhang")).not.toContain(rows[2]!.person_id);
      expect(found("zHa")).toEqual(expect.arrayContaining(idsOf(0, 1, 2)));
      expect(found("张三")).toContain(rows[3]!.person_id);
    } finally {
      rows.forEach((r, i) => setRemark.run(before[i], r.account_id, r.openid));
    }
  });

  it("a remark prefix finds exactly the people whose remark starts with it; a tag name finds the tag", () => {
    const remarks = fixture.sqlite
      .prepare("SELECT remark, person_id FROM followers WHERE remark IS NOT NULL")
      .all() as { remark: string; person_id: number }[];
    expect(remarks.length).toBeGreaterThan(0);
    const prefix = [...remarks[0]!.remark].slice(0, 2).join("");
    const expected = [
      ...new Set(remarks.filter((r) => r.remark.startsWith(prefix)).map((r) => r.person_id)),
    ].sort();
    const result = searchPeople(fixture.sqlite, prefix);
    expect(result.kind).toBe("list");
    if (result.kind !== "list") return;
    if (!result.truncated) expect(result.people.map((p) => p.id).sort()).toEqual(expected);
    const tag = fixture.sqlite.prepare("SELECT name FROM account_tags LIMIT 1").pluck().get() as string;
    const byTag = searchPeople(fixture.sqlite, tag.slice(1));
    expect(byTag.kind === "list" && byTag.tags.some((t) => t.name === tag)).toBe(true);
  });
});
