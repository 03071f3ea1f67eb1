import { randomBytes } from "node:crypto";
import { agent, send, type Sent } from "./load";
import { pushRequest, type PushAccountKeys, type PushRequest } from "./messages";
import { cpuMs, freePort, simJson, startServer } from "./processes";

/**
 * `npm run bench:push -- --overhead [--overhead-seconds 5] [--overhead-rounds 4]`: what metrics and
 * JSON logs cost (issue 20). Two production servers on the same synced database, one with
 * METRICS_TOKEN set, LOG_FORMAT=json and LOG_LEVEL=info (and /metrics scraped every second while it
 * is loaded), one with neither (LOG_LEVEL=silent). They are loaded in turn, closed loop with the same
 * concurrency, alternating which goes first in each round so the machine's other load falls on both:
 *   - push: safe-mode text messages from followers (each stored), 2% with a forged signature (refused,
 *     which logs a line);
 *   - page: GET /login, a page rendered by Next through the proxy and next-intl.
 * Prints throughput and server CPU per request for each side and their ratios, then one JSON line.
 */
interface Side {
  name: "off" | "on";
  url: string;
  pid: number;
  token?: string;
}

interface Phase {
  requests: number;
  failed: number;
  seconds: number;
  cpuMs: number;
}

const CONCURRENCY = 16;

async function closedLoop(seconds: number, next: () => { req: PushRequest; method: "GET" | "POST" }) {
  const until = performance.now() + seconds * 1000;
  const results: Sent[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const { req, method } = next();
        results.push(await send("", req, method));
      }
    }),
  );
  return results;
}

const scrapes = { ok: 0, series: 0 };

async function scrapeEverySecond(side: Side, stop: () => boolean) {
  while (!stop()) {
    const response = await fetch(`${side.url}/metrics`, {
      headers: { authorization: `Bearer ${side.token}` },
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`/metrics answered ${response.status}: ${text.slice(0, 200)}`);
    scrapes.ok++;
    scrapes.series = text.split("\n").filter((line) => line.startsWith("unionview_")).length;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function phase(side: Side, seconds: number, next: () => { req: PushRequest; method: "GET" | "POST" }) {
  let done = false;
  const scraping = side.token ? scrapeEverySecond(side, () => done) : Promise.resolve();
  const cpuStart = cpuMs(side.pid);
  const started = performance.now();
  const results = await closedLoop(seconds, next);
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuMs(side.pid) - cpuStart;
  done = true;
  await scraping;
  return {
    requests: results.length,
    failed: results.filter((r) => !r.ok).length,
    seconds: elapsed,
    cpuMs: cpu,
  };
}

const add = (a: Phase, b: Phase): Phase => ({
  requests: a.requests + b.requests,
  failed: a.failed + b.failed,
  seconds: a.seconds + b.seconds,
  cpuMs: a.cpuMs + b.cpuMs,
});

export async function runOverhead(options: {
  env: NodeJS.ProcessEnv;
  simUrl: string;
  accounts: PushAccountKeys[];
  followers: number;
  seconds: number;
  rounds: number;
}): Promise<void> {
  const { env, simUrl, seconds, rounds } = options;
  // Only the accounts with an EncodingAESKey (all but the last, see push.ts) get safe-mode messages.
  const accounts = options.accounts.slice(0, Math.max(1, options.accounts.length - 1));
  const openids: string[][] = [];
  for (const a of accounts)
    openids.push(
      (
        await simJson<{ openids: string[] }>(
          simUrl,
          `/__sim/followers?appid=${a.appid}&subscribed=1&limit=${options.followers}`,
        )
      ).openids,
    );
  const token = randomBytes(24).toString("hex");
  const quiet = { ...env, UNIONVIEW_WORKER: "off", LOG_LEVEL: "silent", LOG_FORMAT: "json" };
  const loud = { ...quiet, LOG_LEVEL: "info", METRICS_TOKEN: token };
  const off: Side = { name: "off", ...(await startServer(quiet, await freePort(), [])) };
  const on: Side = { name: "on", token, ...(await startServer(loud, await freePort(), [])) };
  console.log(
    `overhead: servers ${off.url} (metrics and logs off), ${on.url} (on); ${rounds} rounds × ${seconds} s`,
  );

  let i = 0;
  const pushNext = (side: Side) => () => {
    const a = i++ % accounts.length;
    const pool = openids[a]!;
    const req = pushRequest(
      accounts[a]!,
      pool[Math.floor(Math.random() * pool.length)]!,
      "text",
      "safe",
      Math.floor(Date.now() / 1000),
    );
    // 2% forged: refused with 403 and a log line (counted as failed by the client, on both sides).
    if (i % 50 === 0) req.path = req.path.replace(/signature=[0-9a-f]{40}/, `signature=${"0".repeat(40)}`);
    return { req: { ...req, path: `${side.url}${req.path}` }, method: "POST" as const };
  };
  const pageNext = (side: Side) => () => ({
    req: { path: `${side.url}/login`, body: "" },
    method: "GET" as const,
  });

  // Warm-up (not timed): compiles the routes and statements on both.
  for (const side of [off, on]) {
    await phase(side, 2, pushNext(side));
    await phase(side, 2, pageNext(side));
  }

  const empty: Phase = { requests: 0, failed: 0, seconds: 0, cpuMs: 0 };
  const totals = { off: { push: empty, page: empty }, on: { push: empty, page: empty } };
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 ? [on, off] : [off, on]) {
      totals[side.name].push = add(totals[side.name].push, await phase(side, seconds, pushNext(side)));
      totals[side.name].page = add(totals[side.name].page, await phase(side, seconds, pageNext(side)));
    }
  }
  agent.destroy();

  const perSec = (p: Phase) => p.requests / p.seconds;
  const cpuPer = (p: Phase) => p.cpuMs / p.requests;
  console.log("");
  console.log("                       push req/s  push CPU ms/req   page req/s  page CPU ms/req");
  for (const name of ["off", "on"] as const) {
    const t = totals[name];
    console.log(
      `${(name === "off" ? "metrics+logs off" : "metrics+JSON logs on").padEnd(22)} ${perSec(t.push).toFixed(0).padStart(10)} ${cpuPer(t.push).toFixed(3).padStart(16)} ${perSec(t.page).toFixed(0).padStart(12)} ${cpuPer(t.page).toFixed(3).padStart(16)}`,
    );
  }
  const ratio = (a: number, b: number) => Number((a / b).toFixed(3));
  const result = {
    overheadRounds: rounds,
    overheadSecondsPerPhase: seconds,
    pushPerSecOff: Number(perSec(totals.off.push).toFixed(1)),
    pushPerSecOn: Number(perSec(totals.on.push).toFixed(1)),
    pagePerSecOff: Number(perSec(totals.off.page).toFixed(1)),
    pagePerSecOn: Number(perSec(totals.on.page).toFixed(1)),
    pushThroughputOnVsOff: ratio(perSec(totals.on.push), perSec(totals.off.push)),
    pageThroughputOnVsOff: ratio(perSec(totals.on.page), perSec(totals.off.page)),
    pushCpuPerRequestOnVsOff: ratio(cpuPer(totals.on.push), cpuPer(totals.off.push)),
    pageCpuPerRequestOnVsOff: ratio(cpuPer(totals.on.page), cpuPer(totals.off.page)),
    failedOff: totals.off.push.failed + totals.off.page.failed,
    failedOn: totals.on.push.failed + totals.on.page.failed,
    metricsScrapes: scrapes.ok,
  };
  console.log(`/metrics scraped ${scrapes.ok} times while loaded (${scrapes.series} unionview_ series)`);
  console.log(
    `on vs off: push throughput ${result.pushThroughputOnVsOff}×, page throughput ${result.pageThroughputOnVsOff}×; ` +
      `server CPU per request: push ${result.pushCpuPerRequestOnVsOff}×, page ${result.pageCpuPerRequestOnVsOff}× (target: cost ≤ 5%)`,
  );
  console.log(JSON.stringify(result));
}
