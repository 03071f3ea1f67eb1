/**
 * Push endpoint under load: `npm run bench:push [-- --no-build] [--rate 1000] [--seconds 30]`.
 *
 * Builds the app (`next build`, skipped with --no-build), starts the simulator and `next start` on
 * free ports, adds and fully syncs 3 accounts through the CLI, then sends WeChat-style pushes from
 * this process (a separate one from the server) at a fixed rate, open loop: each tick asks the
 * simulator to change its truth (unfollows, new and shared follows), then pushes those events
 * (safe and compatible mode, 3:1, to the accounts with an EncodingAESKey; plaintext to the last account,
 * registered without one), plus SCAN/text from followers and exact retries.
 * Baseline in the same run: the URL check (GET echo: signature only, no database) at the same rate.
 * At the end the server's profile fetches are awaited and the maintained counts compared with the
 * simulator's truth. Last line: one JSON object.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { migrateDatabase } from "@/lib/db/migrate";
import type { Truth } from "@/lib/simulator";

import {
  echoRequest,
  pushRequest,
  type BenchEvent,
  type Mode,
  type PushAccountKeys,
  type PushRequest,
} from "./push/messages";
import { agent, openLoop, send, summarise, TICK_MS } from "./push/load";
import { cpuMs, freePort, run, simJson, sleep, startServer, startSimulator, stopAll } from "./push/processes";
import { NO_DRIFT, expectedFromTruth, maintainedFigures, peopleDrift } from "@/lib/followers/testing";
import { runOverhead } from "./push/overhead";

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = argv.indexOf(name);
  return at < 0 ? fallback : Number(argv[at + 1]);
};
const BUILD = !argv.includes("--no-build");
const RATE = flag("--rate", 1000);
const SECONDS = flag("--seconds", 30);
const BASELINE_SECONDS = 5;
const FOLLOWERS = flag("--followers", 20_000);
/** Openids followed this recently are not unfollowed yet (WeChat's CreateTime has 1 s resolution). */
const SETTLE_MS = 2_000;

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

  // Warm-up (not timed): compiles the route and the statements; messages change no counts.
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

  console.log(`baseline: GET echo at ${RATE}/s for ${BASELINE_SECONDS} s`);
  const perTick = Math.round((RATE * TICK_MS) / 1000);
  const cpuBaselineStart = cpuMs(serverPid);
  const baseline = await openLoop(BASELINE_SECONDS, server, async () =>
    Array.from({ length: perTick }, (_, i) => ({
      req: echoRequest(accounts[i % accounts.length]!, now()),
      method: "GET" as const,
    })),
  );

  const sqlite = new Database(database, { readonly: true });
  const storedBefore = sqlite.prepare("SELECT count(*) FROM push_events").pluck().get() as number;
  // WeChat's retry identity: the same openid, event and second is one event (SCAN/text picks may repeat).
  const keys = new Set<string>();
  let previous: PushRequest[] = [];
  console.log(`load: ${RATE} events/s for ${SECONDS} s`);
  const cpuBaseline = cpuMs(serverPid) - cpuBaselineStart;
  const cpuLoadStart = cpuMs(serverPid);
  const load = await openLoop(SECONDS, server, async (tick) => {
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
    if (leaving.length) await simJson(simUrl, "/__sim/unfollow", { appid: account.appid, openids: leaving });
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

  // The profiles of new followers are fetched after the replies: wait for the last of them.
  const cpuLoad = cpuMs(serverPid) - cpuLoadStart;
  const drainStarted = performance.now();
  const pendingProfiles = sqlite
    .prepare("SELECT count(*) FROM followers WHERE subscribed = 1 AND profile_fetched_at IS NULL")
    .pluck();
  while ((pendingProfiles.get() as number) > 0 && performance.now() - drainStarted < 60_000) await sleep(100);
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  const stored = (sqlite.prepare("SELECT count(*) FROM push_events").pluck().get() as number) - storedBefore;

  const truth = await simJson<Truth>(simUrl, "/__sim/truth");
  const slots = new Map(accounts.map((a, i) => [i, a.appid]));
  const maintained = maintainedFigures(sqlite, slots);
  const expected = expectedFromTruth(truth);
  const countsMatch = JSON.stringify(maintained) === JSON.stringify(expected);
  const drift = peopleDrift(sqlite);
  const noDrift = JSON.stringify(drift) === JSON.stringify(NO_DRIFT);
  sqlite.close();

  const reasons = new Map<string, number>();
  for (const r of [...baseline.results, ...load.results])
    if (r.why) reasons.set(r.why, (reasons.get(r.why) ?? 0) + 1);
  if (reasons.size) console.log("first attempts that failed:", JSON.stringify(Object.fromEntries(reasons)));
  const b = summarise(baseline.results, baseline.seconds);
  const l = summarise(load.results, load.seconds);
  const unique = keys.size;
  // An event is lost when the server never recorded it; a late or failed reply alone is not (WeChat
  // would retry it, and the retry is deduplicated).
  const lost = unique - stored;
  const cpuPerEchoMs = cpuBaseline / b.sent;
  const cpuPerEventMs = cpuLoad / l.sent;
  console.log("");
  console.log("                         sent  retried   failed   req/s    p50 ms   p99 ms   max ms");
  for (const [name, s] of [
    ["baseline (GET echo)", b],
    ["push events (POST)", l],
  ] as const)
    console.log(
      `${name.padEnd(22)} ${String(s.sent).padStart(6)} ${String(s.retried).padStart(8)} ${String(s.failed).padStart(8)} ${s.perSec.toFixed(0).padStart(7)} ${s.p50Ms.toFixed(2).padStart(9)} ${s.p99Ms.toFixed(2).padStart(8)} ${s.maxMs.toFixed(1).padStart(8)}`,
    );
  console.log(
    `server CPU per request: GET echo ${cpuPerEchoMs.toFixed(2)} ms, push event ${cpuPerEventMs.toFixed(2)} ms (${(cpuPerEventMs / cpuPerEchoMs).toFixed(2)}×)`,
  );
  console.log(
    `unique events ${unique}, stored ${stored}, exact re-deliveries ${l.sent - unique}; profiles drained in ${drainSeconds.toFixed(1)} s`,
  );
  console.log(
    `counts equal the simulator's truth: ${countsMatch}; people drift: ${noDrift ? "none" : JSON.stringify(drift)}`,
  );
  if (!countsMatch) console.log(JSON.stringify({ maintained, expected }));

  rmSync(dir, { recursive: true, force: true });
  if (PROFILE) console.log(`server CPU profile (written when it exits): ${PROFILE}`);
  console.log(
    JSON.stringify({
      lost,
      p50Ms: Number(l.p50Ms.toFixed(2)),
      p99Ms: Number(l.p99Ms.toFixed(2)),
      eventsPerSec: Number(l.perSec.toFixed(1)),
      sent: l.sent,
      uniqueEvents: unique,
      stored,
      failedAfterRetries: l.failed,
      retriedRequests: l.retried,
      countsMatchTruth: countsMatch,
      peopleDrift: !noDrift,
      profileDrainSeconds: Number(drainSeconds.toFixed(1)),
      baselineP50Ms: Number(b.p50Ms.toFixed(2)),
      baselineP99Ms: Number(b.p99Ms.toFixed(2)),
      p50VsBaseline: Number((l.p50Ms / b.p50Ms).toFixed(2)),
      p99VsBaseline: Number((l.p99Ms / b.p99Ms).toFixed(2)),
      serverCpuMsPerEvent: Number(cpuPerEventMs.toFixed(3)),
      serverCpuMsPerEcho: Number(cpuPerEchoMs.toFixed(3)),
      cpuVsBaseline: Number((cpuPerEventMs / cpuPerEchoMs).toFixed(2)),
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
