/**
 * Push endpoint under load:
 * `npm run bench:push [-- --no-build] [--rate 1000] [--high-rate 2000] [--seconds 30]`.
 *
 * Builds the app (`next build`, skipped with --no-build), starts the simulator and the production entry
 * (scripts/server.ts, as `npm start`) on free ports, adds and fully syncs 3 accounts through the CLI,
 * then sends WeChat-style pushes from this process (a separate one from the server) at a fixed rate,
 * open loop, first at --rate then at --high-rate: each tick asks the simulator to change its truth
 * (unfollows, new and shared follows), then pushes those events (safe and compatible mode, 3:1, to the
 * accounts with an EncodingAESKey; plaintext to the last account, registered without one), plus
 * SCAN/text from followers and exact retries. While the first rate runs, /login is fetched 10 times a
 * second, against its latency on the idle server.
 * Baseline in the same run: a bare node:http echo (bench/push/echo.mjs) sent the same requests at each
 * rate, for the server CPU per event. At the end the server's profile fetches are awaited and the
 * maintained counts compared with the simulator's truth. Last line: one JSON object.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { migrateDatabase } from "@/lib/db/migrate";
import type { Truth } from "@/lib/simulator";

import {
  pushRequest,
  type BenchEvent,
  type Mode,
  type PushAccountKeys,
  type PushRequest,
} from "./push/messages";
import { agent, attempt, openLoop, send, summarise, TICK_MS, type Sent } from "./push/load";
import {
  cpuMs,
  freePort,
  run,
  simJson,
  sleep,
  startEcho,
  startServer,
  startSimulator,
  stopAll,
} from "./push/processes";
import { NO_DRIFT, expectedFromTruth, maintainedFigures, peopleDrift } from "@/lib/followers/testing";
import { runOverhead } from "./push/overhead";

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = argv.indexOf(name);
  return at < 0 ? fallback : Number(argv[at + 1]);
};
const BUILD = !argv.includes("--no-build");
const RATE = flag("--rate", 1000);
const HIGH_RATE = flag("--high-rate", 2000);
const SECONDS = flag("--seconds", 30);
const BASELINE_SECONDS = 5;
const FOLLOWERS = flag("--followers", 20_000);
/** Openids followed this recently are not unfollowed yet (WeChat's CreateTime has 1 s resolution). */
const SETTLE_MS = 2_000;
/** /login probes per second, idle and under the first rate. */
const PAGE_PROBES_PER_SEC = 10;

async function main() {
  if (BUILD) {
    console.log("next build …");
    await run(join("node_modules", ".bin", "next"), ["build"], {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
    });
  }
  const simUrl = await startSimulator(FOLLOWERS);
  const accounts = await simJson<(PushAccountKeys & { secret: string; bound: boolean })[]>(
    simUrl,
    "/__sim/accounts",
  );
  const dir = mkdtempSync(join(tmpdir(), "unionview-bench-push-"));
  const database = join(dir, "push.db");
  migrateDatabase(database);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: database,
    WECHAT_API_BASE: simUrl,
    AUTH_SECRET: randomBytes(32).toString("base64"),
    UNIONVIEW_SECRET_KEY: randomBytes(32).toString("base64"),
    LOG_LEVEL: "error",
  };
  const tsx = join("node_modules", ".bin", "tsx");
  for (const [i, a] of accounts.entries()) {
    const args = ["--conditions=react-server", "scripts/cli.ts", "accounts", "add", "--name", `号 ${i + 1}`];
    args.push("--appid", a.appid, "--original-id", a.originalId);
    if (!a.bound) args.push("--unbound");
    // Secrets on standard input, as the CLI asks. The last account runs in plaintext mode, which the
    // server accepts only without an EncodingAESKey.
    const secrets = [`appsecret=${a.secret}`, `push_token=${a.pushToken}`];
    if (i < accounts.length - 1) secrets.push(`aes_key=${a.encodingAESKey}`);
    await run(tsx, args, env, `${secrets.join("\n")}\n`);
  }
  await run(tsx, ["--conditions=react-server", "scripts/cli.ts", "sync", "--all", "--full"], env);
  // --overhead: metrics and JSON logs on vs off instead of the load run (bench/push/overhead.ts).
  if (argv.includes("--overhead")) {
    const seconds = flag("--overhead-seconds", 5);
    await runOverhead({
      env,
      simUrl,
      accounts,
      followers: FOLLOWERS,
      seconds,
      rounds: flag("--overhead-rounds", 4),
    });
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  const PROFILE = argv.includes("--server-prof") ? mkdtempSync(join(tmpdir(), "unionview-push-prof-")) : null;
  const { url: server, pid: serverPid } = await startServer(
    env,
    await freePort(),
    PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE}`] : [],
  );
  console.log(`server ${server}, simulator ${simUrl}, ${accounts.length} × ${FOLLOWERS} followers synced`);

  // Openids known to be subscribed (and since when), the pool for unfollows, SCANs and messages.
  const subscribed = accounts.map(() => [] as { openid: string; since: number }[]);
  for (const [i, a] of accounts.entries()) {
    const { openids } = await simJson<{ openids: string[] }>(
      simUrl,
      `/__sim/followers?appid=${a.appid}&subscribed=1&limit=${FOLLOWERS}`,
    );
    subscribed[i] = openids.map((openid) => ({ openid, since: 0 }));
  }
  const now = () => Math.floor(Date.now() / 1000);
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
  // Safe and compatible mode 3:1 to the accounts with a key; plaintext to the last, registered without one.
  const modes: Mode[] = ["safe", "safe", "safe", "compat"];
  const modeOf = (account: number, i: number): Mode =>
    account === accounts.length - 1 ? "plain" : modes[i % modes.length]!;

  // Warm-up (not timed): loads the push modules and prepares the statements; messages change no counts.
  await Promise.all(
    Array.from({ length: 300 }, (_, i) => {
      const a = i % accounts.length;
      return send(
        server,
        pushRequest(accounts[a]!, pick(subscribed[a]!).openid, "text", modeOf(a, i), now()),
        "POST",
      );
    }),
  );
  const echo = await startEcho(await freePort());
  const sqlite = new Database(database, { readonly: true });
  const countStored = sqlite.prepare("SELECT count(*) FROM push_events").pluck();
  const perTickAt = (rate: number) => Math.round((rate * TICK_MS) / 1000);

  /** GET /login, PAGE_PROBES_PER_SEC a second for `seconds`. */
  async function probePages(seconds: number): Promise<Sent[]> {
    const pending: Promise<Sent>[] = [];
    const start = performance.now();
    for (let i = 0; i < seconds * PAGE_PROBES_PER_SEC; i++) {
      await sleep(start + (i * 1000) / PAGE_PROBES_PER_SEC - performance.now());
      pending.push(attempt(server, { path: "/login", body: "" }, "GET").then((r) => ({ ...r, attempts: 1 })));
    }
    return Promise.all(pending);
  }

  /** The baseline: the same kind of requests at `rate`, to a bare node:http echo. */
  async function echoBaseline(rate: number) {
    console.log(`baseline: bare node:http echo at ${rate}/s for ${BASELINE_SECONDS} s`);
    const perTick = perTickAt(rate);
    const cpuStart = cpuMs(echo.pid);
    const run = await openLoop(BASELINE_SECONDS, echo.url, async () =>
      Array.from({ length: perTick }, (_, i) => {
        const a = i % accounts.length;
        const req = pushRequest(accounts[a]!, pick(subscribed[a]!).openid, "text", modeOf(a, i), now());
        return { req, method: "POST" as const };
      }),
    );
    const summary = summarise(run.results, run.seconds);
    return { summary, results: run.results, cpuMsPerRequest: (cpuMs(echo.pid) - cpuStart) / summary.sent };
  }

  async function pushLoad(rate: number, withPages: boolean) {
    console.log(
      `load: ${rate} events/s for ${SECONDS} s${withPages ? `, /login ${PAGE_PROBES_PER_SEC}/s` : ""}`,
    );
    const perTick = perTickAt(rate);
    // WeChat's retry identity: the same openid, event and second is one event (SCAN/text picks may repeat).
    const keys = new Set<string>();
    let previous: PushRequest[] = [];
    const storedBefore = countStored.get() as number;
    const cpuStart = cpuMs(serverPid);
    const pages = withPages ? probePages(SECONDS) : Promise.resolve([]);
    const run = await openLoop(SECONDS, server, async (tick) => {
      const a = tick % accounts.length;
      const account = accounts[a]!;
      const pool = subscribed[a]!;
      // Of each tick's events: 30% unfollows, 30% new people, 15% people who follow another account,
      // 20% SCAN/text from followers, 5% exact retries of the previous tick's requests.
      const n = { unfollow: 0.3, follow: 0.3, shared: 0.15, other: 0.2 };
      const count = (share: number) => Math.round(perTick * share);
      const settled = Date.now() - SETTLE_MS;
      const leaving: string[] = [];
      for (let i = 0; i < count(n.unfollow) && pool.length; i++) {
        const j = Math.floor(Math.random() * pool.length);
        if (pool[j]!.since > settled) continue;
        leaving.push(pool[j]!.openid);
        pool[j] = pool[pool.length - 1]!;
        pool.pop();
      }
      if (leaving.length)
        await simJson(simUrl, "/__sim/unfollow", { appid: account.appid, openids: leaving });
      const fresh = (
        await simJson<{ openids: string[] }>(simUrl, "/__sim/follow", {
          appid: account.appid,
          count: count(n.follow),
        })
      ).openids;
      const shared = (
        await simJson<{ openids: string[] }>(simUrl, "/__sim/follow", {
          appid: account.appid,
          count: count(n.shared),
          shared: true,
        })
      ).openids;
      const events: [string, BenchEvent][] = [
        ...leaving.map((o): [string, BenchEvent] => [o, "unsubscribe"]),
        ...[...fresh, ...shared].map((o): [string, BenchEvent] => [o, "subscribe"]),
        ...Array.from({ length: count(n.other) }, (_, i): [string, BenchEvent] => [
          pick(pool).openid,
          i % 2 ? "SCAN" : "text",
        ]),
      ];
      for (const o of [...fresh, ...shared]) pool.push({ openid: o, since: Date.now() });
      const createTime = now();
      const requests = events.map(([openid, event], i) =>
        pushRequest(account, openid, event, modeOf(a, i), createTime),
      );
      for (const [openid, event] of events) keys.add(`${a}:${openid}:${createTime}:${event}`);
      const retries = previous.length
        ? Array.from({ length: perTick - requests.length }, () => pick(previous))
        : [];
      previous = requests;
      return [...requests, ...retries].map((req) => ({ req, method: "POST" as const }));
    });
    const cpu = cpuMs(serverPid) - cpuStart;
    const summary = summarise(run.results, run.seconds);
    // Every answered event was committed before its answer: what is not stored now never will be.
    const stored = (countStored.get() as number) - storedBefore;
    return {
      summary,
      results: run.results,
      unique: keys.size,
      stored,
      // An event is lost when the server never recorded it; a late or failed reply alone is not (WeChat
      // would retry it, and the retry is deduplicated).
      lost: keys.size - stored,
      cpuMsPerEvent: cpu / summary.sent,
      pages: await pages,
    };
  }

  console.log(`/login idle: ${PAGE_PROBES_PER_SEC}/s for ${2 * BASELINE_SECONDS} s`);
  const idlePages = summarise(await probePages(2 * BASELINE_SECONDS), 2 * BASELINE_SECONDS);
  const echoLow = await echoBaseline(RATE);
  const low = await pushLoad(RATE, true);
  const echoHigh = await echoBaseline(HIGH_RATE);
  const high = await pushLoad(HIGH_RATE, false);
  const loadPages = summarise(low.pages, SECONDS);

  // The profiles of new followers are fetched after the replies: wait for the last of them.
  const drainStarted = performance.now();
  const pendingProfiles = sqlite
    .prepare("SELECT count(*) FROM followers WHERE subscribed = 1 AND profile_fetched_at IS NULL")
    .pluck();
  while ((pendingProfiles.get() as number) > 0 && performance.now() - drainStarted < 60_000) await sleep(100);
  const drainSeconds = (performance.now() - drainStarted) / 1000;

  const truth = await simJson<Truth>(simUrl, "/__sim/truth");
  const slots = new Map(accounts.map((a, i) => [i, a.appid]));
  const maintained = maintainedFigures(sqlite, slots);
  const expected = expectedFromTruth(truth);
  const countsMatch = JSON.stringify(maintained) === JSON.stringify(expected);
  const drift = peopleDrift(sqlite);
  const noDrift = JSON.stringify(drift) === JSON.stringify(NO_DRIFT);
  sqlite.close();

  const reasons = new Map<string, number>();
  for (const r of [...echoLow.results, ...low.results, ...echoHigh.results, ...high.results])
    if (r.why) reasons.set(r.why, (reasons.get(r.why) ?? 0) + 1);
  if (reasons.size) console.log("first attempts that failed:", JSON.stringify(Object.fromEntries(reasons)));
  console.log("");
  console.log("                               sent  retried   failed   req/s    p50 ms   p99 ms   max ms");
  for (const [name, s] of [
    [`echo baseline ${RATE}/s`, echoLow.summary],
    [`push events ${RATE}/s`, low.summary],
    [`echo baseline ${HIGH_RATE}/s`, echoHigh.summary],
    [`push events ${HIGH_RATE}/s`, high.summary],
    ["/login idle", idlePages],
    [`/login at ${RATE} events/s`, loadPages],
  ] as const)
    console.log(
      `${name.padEnd(28)} ${String(s.sent).padStart(6)} ${String(s.retried).padStart(8)} ${String(s.failed).padStart(8)} ${s.perSec.toFixed(0).padStart(7)} ${s.p50Ms.toFixed(2).padStart(9)} ${s.p99Ms.toFixed(2).padStart(8)} ${s.maxMs.toFixed(1).padStart(8)}`,
    );
  const cpuVsEcho = (run: typeof low, base: typeof echoLow) => run.cpuMsPerEvent / base.cpuMsPerRequest;
  for (const [rate, run, base] of [
    [RATE, low, echoLow],
    [HIGH_RATE, high, echoHigh],
  ] as const)
    console.log(
      `${rate}/s: server CPU per request: echo ${base.cpuMsPerRequest.toFixed(3)} ms, push event ${run.cpuMsPerEvent.toFixed(3)} ms (${cpuVsEcho(run, base).toFixed(2)}×); unique events ${run.unique}, stored ${run.stored}, lost ${run.lost}`,
    );
  const loginVsIdle = loadPages.p99Ms / idlePages.p99Ms;
  console.log(
    `/login p99 at ${RATE} events/s: ${loadPages.p99Ms.toFixed(1)} ms vs ${idlePages.p99Ms.toFixed(1)} ms idle (${loginVsIdle.toFixed(2)}×)`,
  );
  console.log(`profiles drained in ${drainSeconds.toFixed(1)} s`);
  console.log(
    `counts equal the simulator's truth: ${countsMatch}; people drift: ${noDrift ? "none" : JSON.stringify(drift)}`,
  );
  if (!countsMatch) console.log(JSON.stringify({ maintained, expected }));

  rmSync(dir, { recursive: true, force: true });
  if (PROFILE) console.log(`server CPU profile (written when it exits): ${PROFILE}`);
  const figures = (run: typeof low, base: typeof echoLow) => ({
    lost: run.lost,
    p50Ms: Number(run.summary.p50Ms.toFixed(2)),
    p99Ms: Number(run.summary.p99Ms.toFixed(2)),
    eventsPerSec: Number(run.summary.perSec.toFixed(1)),
    sent: run.summary.sent,
    uniqueEvents: run.unique,
    stored: run.stored,
    failedAfterRetries: run.summary.failed,
    retriedRequests: run.summary.retried,
    serverCpuMsPerEvent: Number(run.cpuMsPerEvent.toFixed(3)),
    echoCpuMsPerRequest: Number(base.cpuMsPerRequest.toFixed(3)),
    cpuVsEcho: Number(cpuVsEcho(run, base).toFixed(2)),
    echoP99Ms: Number(base.summary.p99Ms.toFixed(2)),
  });
  console.log(
    JSON.stringify({
      ...figures(low, echoLow),
      at2000: figures(high, echoHigh),
      rates: [RATE, HIGH_RATE],
      seconds: SECONDS,
      loginIdleP99Ms: Number(idlePages.p99Ms.toFixed(2)),
      loginLoadP99Ms: Number(loadPages.p99Ms.toFixed(2)),
      loginP99VsIdle: Number(loginVsIdle.toFixed(2)),
      countsMatchTruth: countsMatch,
      peopleDrift: !noDrift,
      profileDrainSeconds: Number(drainSeconds.toFixed(1)),
    }),
  );
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    agent.destroy();
    await stopAll();
  });
