/**
 * People queries at scale: figures only, no thresholds enforced.
 *
 *   npm run bench:people                 # 10,000,000 follower rows (5 accounts × 2,000,000)
 *   npm run bench:people -- --quick      # 1,000,000 (5 × 200,000)
 *   npm run bench:people -- --db FILE    # seed FILE once and reuse it on later runs
 *
 * Seeds a synthetic audience straight into SQLite (bench/people/seed.ts), then times ≥200 runs of each
 * query the people pages make, through the same functions the pages call. Prints a table (p50/p95 in
 * ms, and p95 as a multiple of a primary-key lookup measured in the same run), then one JSON line.
 */
import { statSync } from "node:fs";
import { openSqlite } from "@/lib/db/connection";
import { DEFAULT_FILTER, type PeopleFilter } from "@/lib/people/filters";
import { personDetail } from "@/lib/people/person";
import { accountRefs, countPeople, listPeople } from "@/lib/people/rows";
import { findPersonById, searchPeople } from "@/lib/people/search";
import { benchDatabase } from "./people/bench-database";
import { time } from "./timing";

const RUNS = 200;

function main() {
  const { file, seedSeconds, cleanup } = benchDatabase("people");
  const sqlite = openSqlite(file);
  const accounts = accountRefs(sqlite);
  const followers = sqlite.prepare("SELECT count(*) FROM followers").pluck().get() as number;
  const peopleCount = sqlite.prepare("SELECT max(id) FROM people").pluck().get() as number;
  sqlite.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const bytes = statSync(file).size;

  // Inputs drawn at random from the data, before any timing.
  let s = 7;
  const rand = () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const randomPerson = () => 1 + Math.floor(rand() * peopleCount);
  const sample = <T>(sql: string, n: number) =>
    Array.from({ length: n }, () => sqlite.prepare(sql).pluck().get(randomPerson()) as T).filter(Boolean);
  const openids = sample<string>("SELECT openid FROM followers WHERE person_id = ? LIMIT 1", RUNS);
  const unionids = sample<string>(
    "SELECT unionid FROM people WHERE id >= ? AND unionid IS NOT NULL LIMIT 1",
    RUNS,
  );
  const remarks = sample<string>(
    "SELECT remark FROM followers WHERE person_id >= ? AND remark IS NOT NULL LIMIT 1",
    RUNS,
  ).map((r) => [...r].slice(0, 3).join(""));
  const [a, b] = accounts;
  const from = new Date(Date.now() - 400 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() - 370 * 86_400_000).toISOString().slice(0, 10);
  const twoFilters: Record<string, PeopleFilter> = {
    "follows A, ≥2 accounts": { ...DEFAULT_FILTER, acc: [a!.appid], min: 2 },
    "follows A and B": { ...DEFAULT_FILTER, acc: [a!.appid, b!.appid], match: "all", sort: "first" },
    "follows A, QR-code scene": { ...DEFAULT_FILTER, acc: [a!.appid], scene: "ADD_SCENE_QR_CODE" },
    "follows A, first follow in a month": { ...DEFAULT_FILTER, acc: [a!.appid], from, to, sort: "first" },
    "follows A, tag 会员": { ...DEFAULT_FILTER, acc: [a!.appid], tag: { appid: a!.appid, tagId: 101 } },
    "no unionid, sorted by accounts": { ...DEFAULT_FILTER, noUnionid: true, status: "all", sort: "accounts" },
  };

  const rows: { query: string; p50: number; p95: number }[] = [];
  const baseline = time(RUNS, () => sqlite.prepare("SELECT id FROM people WHERE id = ?").get(randomPerson()));
  const measure = (query: string, fn: (i: number) => unknown) => rows.push({ query, ...time(RUNS, fn) });
  measure("openid lookup", (i) => findPersonById(sqlite, openids[i % openids.length]!, accounts));
  measure("unionid lookup", (i) => findPersonById(sqlite, unionids[i % unionids.length]!, accounts));
  measure("remark prefix search", (i) => searchPeople(sqlite, remarks[i % remarks.length]!));
  for (const [name, filter] of Object.entries(twoFilters)) {
    measure(`list page 1: ${name}`, () => listPeople(sqlite, filter, {}, { accounts }));
    // Page 1000 = after 49,950 rows; its cursor is found once, as 999 clicks on "next" would.
    const cursorRow = listPeople(sqlite, filter, { limit: 49_950 }, { accounts });
    const last = cursorRow.next;
    if (last)
      measure(`list page 1000: ${name}`, () => listPeople(sqlite, filter, { after: last }, { accounts }));
    measure(`count: ${name}`, () => countPeople(sqlite, filter, { accounts }));
  }
  measure("person page", () => personDetail(sqlite, randomPerson()));

  const pad = (t: string, n: number) => t.padEnd(n);
  console.log(
    `\n${followers.toLocaleString()} follower rows, ${peopleCount.toLocaleString()} people, ${(bytes / 2 ** 20).toFixed(0)} MB (${(bytes / followers).toFixed(0)} bytes per follower)`,
  );
  console.log(`baseline (people primary-key lookup): p95 ${baseline.p95.toFixed(3)} ms\n`);
  console.log(`${pad("query", 52)} ${pad("p50 ms", 9)} ${pad("p95 ms", 9)} p95 ÷ baseline`);
  for (const r of rows)
    console.log(
      `${pad(r.query, 52)} ${pad(r.p50.toFixed(2), 9)} ${pad(r.p95.toFixed(2), 9)} ${(r.p95 / baseline.p95).toFixed(0)}×`,
    );
  const worst = (match: (q: string) => boolean) =>
    Math.max(...rows.filter((r) => match(r.query)).map((r) => r.p95));
  const figures = {
    followerRows: followers,
    people: peopleCount,
    seedSeconds: seedSeconds === null ? null : Number(seedSeconds.toFixed(1)),
    bytesPerFollower: Math.round(bytes / followers),
    lookupP95Ms: Number(worst((q) => q.includes("lookup") || q.includes("search")).toFixed(2)),
    listP95Ms: Number(worst((q) => q.startsWith("list") || q.startsWith("count")).toFixed(2)),
    personP95Ms: Number(worst((q) => q === "person page").toFixed(2)),
    baselineP95Ms: Number(baseline.p95.toFixed(3)),
  };
  sqlite.close();
  cleanup();
  console.log(JSON.stringify(figures));
}

main();
