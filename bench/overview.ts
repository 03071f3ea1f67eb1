/**
 * The overview page's data at scale: figures only, no thresholds enforced.
 *
 *   npm run bench:overview                 # 10,000,000 follower rows (5 accounts × 2,000,000)
 *   npm run bench:overview -- --quick      # 1,000,000 (5 × 200,000)
 *   npm run bench:overview -- --db FILE    # seed FILE once (shared with bench:people) and reuse it
 *
 * Seeds the same synthetic audience as bench:people (bench/people/seed.ts) plus a year of daily
 * snapshots, then times ≥200 runs of everything the overview reads, through the functions the page
 * calls: audienceOverview + chartData, and the trend over 30 and 365 days. Prints p50/p95 in ms and
 * p95 as a multiple of a primary-key lookup measured in the same run, the figures the page would show
 * (checked against a full recount of the follower rows), then one JSON line.
 */
import { chartData } from "@/lib/analytics/charts";
import { audienceOverview, audienceTrend } from "@/lib/analytics/overview";
import { openSqlite } from "@/lib/db/connection";
import { beijingDay, DAY_MS } from "@/lib/time/beijing";
import { benchDatabase } from "./people/bench-database";
import { time } from "./timing";

const RUNS = 200;

function main() {
  const { file, cleanup } = benchDatabase("overview");
  const sqlite = openSqlite(file);
  // A year of daily snapshots for the trend (the seed writes none); kept if already there.
  const now = Date.now();
  const snapshot = sqlite.prepare(
    `INSERT OR IGNORE INTO snapshots (day, scope, followers, unique_people, without_unionid, taken_at)
     VALUES (?, 'all', ?, ?, ?, ?)`,
  );
  sqlite.transaction(() => {
    for (let d = 0; d < 365; d++)
      snapshot.run(beijingDay(now - d * DAY_MS), 9_000_000 - d * 1000, 6_000_000 - d * 800, 500_000, now);
  })();

  const followerRows = sqlite.prepare("SELECT count(*) FROM followers").pluck().get() as number;
  const maxPerson = sqlite.prepare("SELECT max(id) FROM people").pluck().get() as number;
  let s = 7;
  const randomPerson = () =>
    1 + Math.floor(((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * maxPerson);
  const today = beijingDay(now);
  const daysAgo = (n: number) => beijingDay(now - n * DAY_MS);

  const baseline = time(RUNS, () => sqlite.prepare("SELECT id FROM people WHERE id = ?").get(randomPerson()));
  const rows = [
    { query: "overview figures + chart data", ...time(RUNS, () => chartData(audienceOverview(sqlite))) },
    { query: "trend, 30 days", ...time(RUNS, () => audienceTrend(sqlite, daysAgo(29), today)) },
    { query: "trend, 365 days", ...time(RUNS, () => audienceTrend(sqlite, daysAgo(364), today)) },
    {
      query: "whole page data (figures, charts, 30-day trend)",
      ...time(RUNS, () => {
        chartData(audienceOverview(sqlite));
        audienceTrend(sqlite, daysAgo(29), today);
      }),
    },
  ];

  // What the page would show, and the same recounted from the follower rows (once, not timed as a page).
  const overview = audienceOverview(sqlite);
  const recountStart = performance.now();
  const recount = sqlite
    .prepare(
      `SELECT count(*) AS summed, count(DISTINCT coalesce(unionid, account_id || '/' || openid)) AS unique_people,
              sum(unionid IS NULL) AS without FROM followers WHERE subscribed = 1`,
    )
    .get() as { summed: number; unique_people: number; without: number };
  const recountMs = performance.now() - recountStart;
  const exact =
    recount.summed === overview.summedFollowers &&
    recount.unique_people === overview.uniquePeople &&
    recount.without === overview.withoutUnionid.total;

  const pad = (t: string, n: number) => t.padEnd(n);
  console.log(`\n${followerRows.toLocaleString()} follower rows (${overview.accounts.length} accounts)`);
  console.log(
    `figures: summed ${overview.summedFollowers.toLocaleString()}, unique ${overview.uniquePeople.toLocaleString()}, duplicates ${overview.duplicateFollows.toLocaleString()} (${((100 * overview.duplicateFollows) / overview.summedFollowers).toFixed(1)}%), without unionid ${overview.withoutUnionid.total.toLocaleString()}`,
  );
  console.log(
    `recount from follower rows: ${exact ? "equal" : "DIFFERENT"} (${recountMs.toFixed(0)} ms, ${(recountMs / baseline.p95).toFixed(0)}× baseline: what the overview avoids)`,
  );
  console.log(`baseline (people primary-key lookup): p95 ${baseline.p95.toFixed(3)} ms\n`);
  console.log(`${pad("query", 52)} ${pad("p50 ms", 9)} ${pad("p95 ms", 9)} p95 ÷ baseline`);
  for (const r of rows)
    console.log(
      `${pad(r.query, 52)} ${pad(r.p50.toFixed(2), 9)} ${pad(r.p95.toFixed(2), 9)} ${(r.p95 / baseline.p95).toFixed(0)}×`,
    );
  const page = rows.at(-1)!;
  const figures = {
    followerRows,
    summedFollowers: overview.summedFollowers,
    uniquePeople: overview.uniquePeople,
    duplicateFollows: overview.duplicateFollows,
    exact,
    pageP95Ms: Number(page.p95.toFixed(3)),
    pageP95VsBaseline: Math.round(page.p95 / baseline.p95),
    recountMs: Math.round(recountMs),
    recountVsPageP95: Math.round(recountMs / page.p95),
    baselineP95Ms: Number(baseline.p95.toFixed(4)),
  };
  sqlite.close();
  cleanup();
  console.log(JSON.stringify(figures));
}

main();
