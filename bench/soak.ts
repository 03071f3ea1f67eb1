/**
 * Mixed-load soak: `npm run bench:soak [-- --no-build] [--minutes 10] [--followers 300000]`.
 *
 * Builds the app (`next build`, skipped with --no-build), starts the simulator (2 accounts: --followers
 * and a sixth of it; the second unbound and registered without an EncodingAESKey, so it is pushed in
 * plaintext) and the production entry (scripts/server.ts, as `npm start`) on free ports, adds the accounts
 * through the CLI and seeds an admin (scripts/seed-admin.ts). The server's sync worker child then runs a
 * full sync of both accounts. Signed-in clients (Auth.js's credentials callback with its CSRF token, as the
 * login form posts it) request dashboard pages 20 times a second, first on the idle server (the baseline),
 * then for --minutes under everything at once:
 *   - WeChat-style pushes at 200 events/s, open loop with WeChat's 5 s timeout and retries (unfollows,
 *     new and shared follows, SCAN/text, exact retries), each a change of the simulator's truth;
 *   - incremental syncs in a loop, with simulator churn (follows and unfollows nobody pushes) before each;
 *   - both exports (/api/export/people-counts, /api/export/people) every 30 s;
 *   - at half time a SIGKILL of the sync worker child (the server's child running scripts/worker.ts) while
 *     a sync runs: the server restarts it and the run resumes from its checkpoint once its lease expires.
 * Then the pushes stop, the profile fetches drain, one last incremental sync runs, and the maintained
 * counts are compared with the simulator's truth. Printed: errors (pages, exports, failed sync runs), lost
 * push events, counts against truth and people drift, RSS of server, worker child and simulator at the
 * start and end of the soak, page p99 under soak against idle. Last line: one JSON object.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { migrateDatabase } from "@/lib/db/migrate";
import type { Truth } from "@/lib/simulator";
import { NO_DRIFT, expectedFromTruth, maintainedFigures, peopleDrift } from "@/lib/followers/testing";
import { track } from "./child-processes";
import {
  pushRequest,
  type BenchEvent,
  type Mode,
  type PushAccountKeys,
  type PushRequest,
} from "./push/messages";
import { agent, openLoop, summarise, TICK_MS, type Sent } from "./push/load";
import { cpuMs, freePort, run, simJson, sleep, startServer, stopAll } from "./push/processes";

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = argv.indexOf(name);
  return at < 0 ? fallback : Number(argv[at + 1]);
};
const BUILD = !argv.includes("--no-build");
const MINUTES = flag("--minutes", 10);
const FOLLOWERS = flag("--followers", 300_000);
const PUSH_RATE = 200;
const PAGES_PER_SEC = 20;
const IDLE_SECONDS = 15;
const EXPORT_EVERY_MS = 30_000;
/** Simulator churn before each incremental sync, per account, as a share of its followers. */
const CHURN_SHARE = 0.002;
/** Signed-in clients, each from its own address (the per-client sign-in limit). */
const CLIENTS = 4;
const PAGES = ["/overview", "/people", "/accounts", "/syncs", "/system", "/search?q=a"];
/** Openids followed this recently are not unfollowed yet (WeChat's CreateTime has 1 s resolution). */
const SETTLE_MS = 2_000;
const ROOT = join(__dirname, "..");

/** `promise`, or a rejection naming `what` after `ms` (nothing in the soak may wait forever). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
/** The simulator's admin API, bounded. */
const simCall = <T>(url: string, path: string, body?: unknown) =>
  within(simJson<T>(url, path, body), 20_000, path);

/** The simulator (its pid is needed for its RSS, so started here rather than by bench/push's helper). */
async function startSimulator(followers: number[]): Promise<{ url: string; pid: number }> {
  const args = ["--import", "tsx", "lib/simulator/cli.ts", "--port", "0", "--host", "127.0.0.1"];
  args.push("--seed", "3", "--accounts", String(followers.length), "--followers", followers.join(","));
  args.push("--unbound", "1");
  const child = track(spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] }));
  return new Promise((done, fail) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /WeChat API simulator on (http:\/\/\S+)/.exec(line);
      if (match) done({ url: match[1]!, pid: child.pid! });
    });
    child.once("exit", (code) => fail(new Error(`the simulator exited (${code})`)));
  });
}

/** Resident set size of a process, from /proc (Linux), in MB. */
function rssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return line ? Number(line[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The server's child running scripts/worker.ts (its sync worker), from /proc. */
function workerPid(serverPid: number): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== serverPid) continue;
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmd.includes("scripts/worker.ts")) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

interface KillInfo {
  pid: number;
  atSeconds: number;
  duringRun: boolean;
  restartedPid?: number;
}

interface Client {
  ip: string;
  cookie: string;
}

/** Cookies as a Cookie header, from a response's Set-Cookie lines merged over `jar`. */
function mergeCookies(jar: Map<string, string>, response: Response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair!.indexOf("=");
    jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

/** Signs in as the login form does: Auth.js's CSRF token, then its credentials callback. */
async function signIn(server: string, email: string, password: string, ip: string): Promise<Client> {
  const jar = new Map<string, string>();
  const csrf = await fetch(`${server}/api/auth/csrf`, { headers: { "x-forwarded-for": ip } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  let cookie = mergeCookies(jar, csrf);
  const answer = await fetch(`${server}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie,
      origin: server,
      "x-forwarded-for": ip,
    },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${server}/overview` }),
  });
  await answer.arrayBuffer();
  cookie = mergeCookies(jar, answer);
  if (![...jar.keys()].some((k) => k.includes("session-token")))
    throw new Error(`sign-in failed: HTTP ${answer.status} ${answer.headers.get("location")}`);
  const check = await fetch(`${server}/overview`, {
    redirect: "manual",
    headers: { cookie, "x-forwarded-for": ip },
  });
  await check.arrayBuffer();
  if (check.status !== 200) throw new Error(`signed-in /overview answered HTTP ${check.status}`);
  return { ip, cookie };
}

/** A page or export, bounded even if the body never ends. */
function getPage(server: string, client: Client, path: string, timeoutMs = 30_000) {
  const started = performance.now();
  return within(getPageOnce(server, client, path, timeoutMs), timeoutMs + 5_000, path).catch(
    (error: Error) => ({
      path,
      ms: performance.now() - started,
      ok: false,
      why: error.message,
      bytes: 0,
    }),
  );
}

interface PageResult {
  path: string;
  ms: number;
  ok: boolean;
  why?: string;
}

async function getPageOnce(
  server: string,
  client: Client,
  path: string,
  timeoutMs = 30_000,
): Promise<PageResult & { bytes: number }> {
  const started = performance.now();
  try {
    const response = await fetch(`${server}${path}`, {
      redirect: "manual",
      headers: { cookie: client.cookie, "x-forwarded-for": client.ip },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.arrayBuffer();
    const ms = performance.now() - started;
    return response.status === 200
      ? { path, ms, ok: true, bytes: body.byteLength }
      : { path, ms, ok: false, why: `HTTP ${response.status}`, bytes: body.byteLength };
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    const why = `${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ""}`;
    return { path, ms: performance.now() - started, ok: false, why, bytes: 0 };
  }
}

async function main() {
  if (BUILD) {
    console.log("next build …");
    await run(join("node_modules", ".bin", "next"), ["build"], {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
    });
  }
  const sizes = [FOLLOWERS, Math.round(FOLLOWERS / 6)];
  const sim = await startSimulator(sizes);
  const simUrl = sim.url;
  const accounts = await simCall<(PushAccountKeys & { secret: string; bound: boolean })[]>(
    simUrl,
    "/__sim/accounts",
  );
  const dir = mkdtempSync(join(tmpdir(), "unionview-bench-soak-"));
  const database = join(dir, "soak.db");
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
    const secrets = [`appsecret=${a.secret}`, `push_token=${a.pushToken}`];
    if (i < accounts.length - 1) secrets.push(`aes_key=${a.encodingAESKey}`);
    await run(tsx, args, env, `${secrets.join("\n")}\n`);
  }
  const admin = { email: "soak-admin@bench.test", password: randomBytes(12).toString("base64url") };
  await run(
    tsx,
    [
      "--conditions=react-server",
      "scripts/seed-admin.ts",
      "--email",
      admin.email,
      "--password",
      admin.password,
    ],
    env,
  );

  const { url: server, pid: serverPid } = await startServer(env, await freePort(), []);
  const sqlite = new Database(database);
  sqlite.pragma("busy_timeout = 10000");
  const accountIds = (
    sqlite.prepare("SELECT id FROM accounts ORDER BY slot").pluck().all() as string[]
  ).slice();
  const { enqueueSync } = await import("@/lib/sync/queue");
  const runStatus = sqlite.prepare("SELECT status, error_message AS error FROM sync_runs WHERE id = ?");
  const failedRuns: { id: number; kind: string; status: string; error: string | null }[] = [];
  /** Queues a run per account (the worker child polls every second) and waits for them to end. */
  async function syncAll(kind: "full" | "incremental") {
    const started = performance.now();
    const ids = accountIds.map(
      (accountId) => enqueueSync(sqlite, { accountId, kind, triggeredBy: "bench" }).runId,
    );
    for (;;) {
      const rows = ids.map((id) => ({
        id,
        ...(runStatus.get(id) as { status: string; error: string | null }),
      }));
      if (rows.every((r) => !["queued", "running", "paused"].includes(r.status))) {
        for (const r of rows) if (r.status !== "done") failedRuns.push({ ...r, kind });
        return { ids, seconds: (performance.now() - started) / 1000 };
      }
      await sleep(250);
    }
  }
  console.log(
    `server ${server} (pid ${serverPid}), simulator ${simUrl}; full sync of ${sizes.join(" + ")} followers …`,
  );
  const full = await syncAll("full");
  console.log(`full sync: ${full.seconds.toFixed(1)} s`);

  const clients: Client[] = [];
  for (let i = 0; i < CLIENTS; i++)
    clients.push(await signIn(server, admin.email, admin.password, `198.18.${i + 1}.${10 + i}`));

  /** Dashboard pages at PAGES_PER_SEC, open loop, until `until()` says stop (or `seconds`). */
  async function pageLoad(stop: () => boolean): Promise<PageResult[]> {
    const pending: Promise<PageResult>[] = [];
    const start = performance.now();
    for (let i = 0; !stop(); i++) {
      await sleep(start + (i * 1000) / PAGES_PER_SEC - performance.now());
      pending.push(getPage(server, clients[i % CLIENTS]!, PAGES[i % PAGES.length]!));
    }
    return Promise.all(pending);
  }
  const pctl = (results: PageResult[], p: number) => {
    const ms = results.map((r) => r.ms).sort((a, b) => a - b);
    return ms.length ? ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))]! : NaN;
  };

  // Warm-up (not counted), then the idle baseline.
  for (const path of PAGES) await getPage(server, clients[0]!, path);
  console.log(`pages idle: ${PAGES_PER_SEC}/s for ${IDLE_SECONDS} s`);
  const idleEnd = performance.now() + IDLE_SECONDS * 1000;
  const idlePages = await pageLoad(() => performance.now() >= idleEnd);

  // Push pool: openids known to be subscribed.
  const subscribed = accounts.map(() => [] as { openid: string; since: number }[]);
  for (const [i, a] of accounts.entries()) {
    const { openids } = await simCall<{ openids: string[] }>(
      simUrl,
      `/__sim/followers?appid=${a.appid}&subscribed=1&limit=${sizes[i]! * 2}`,
    );
    subscribed[i] = openids.map((openid) => ({ openid, since: 0 }));
  }
  const now = () => Math.floor(Date.now() / 1000);
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
  const modes: Mode[] = ["safe", "safe", "safe", "compat"];
  const modeOf = (account: number, i: number): Mode =>
    account === accounts.length - 1 ? "plain" : modes[i % modes.length]!;
  const countStored = sqlite.prepare("SELECT count(*) FROM push_events").pluck();

  const rss = () => ({
    server: rssMb(serverPid),
    worker: rssMb(workerPid(serverPid)),
    simulator: rssMb(sim.pid),
  });
  const rssStart = rss();
  const workerAtStart = workerPid(serverPid);
  console.log(
    `soak: ${MINUTES} min; RSS at start: server ${rssStart.server.toFixed(0)} MB, worker ${rssStart.worker.toFixed(0)} MB (pid ${workerAtStart}), simulator ${rssStart.simulator.toFixed(0)} MB`,
  );

  const soakMs = MINUTES * 60_000;
  const soakStart = performance.now();
  const serverCpuStart = cpuMs(serverPid);
  const soakOver = () => performance.now() - soakStart >= soakMs;
  // A second sample a quarter in: growth from there is the steady state, without the warm-up.
  let rssQuarter = rssStart;
  const quarter = sleep(soakMs / 4).then(() => (rssQuarter = rss()));

  // Pushes, open loop.
  const keys = new Set<string>();
  const storedBefore = countStored.get() as number;
  let previous: PushRequest[] = [];
  const perTick = Math.round((PUSH_RATE * TICK_MS) / 1000);
  const tickErrors: string[] = [];
  const pushTick = async (tick: number) => {
    const a = tick % accounts.length;
    const account = accounts[a]!;
    const pool = subscribed[a]!;
    const count = (share: number) => Math.round(perTick * share);
    const settled = Date.now() - SETTLE_MS;
    const leaving: string[] = [];
    for (let i = 0; i < count(0.3) && pool.length; i++) {
      const j = Math.floor(Math.random() * pool.length);
      if (pool[j]!.since > settled) continue;
      leaving.push(pool[j]!.openid);
      pool[j] = pool[pool.length - 1]!;
      pool.pop();
    }
    if (leaving.length) await simCall(simUrl, "/__sim/unfollow", { appid: account.appid, openids: leaving });
    const follow = async (n: number, shared: boolean) =>
      (
        await simCall<{ openids: string[] }>(simUrl, "/__sim/follow", {
          appid: account.appid,
          count: n,
          shared,
        })
      ).openids;
    const fresh = [...(await follow(count(0.3), false)), ...(await follow(count(0.15), true))];
    const events: [string, BenchEvent][] = [
      ...leaving.map((o): [string, BenchEvent] => [o, "unsubscribe"]),
      ...fresh.map((o): [string, BenchEvent] => [o, "subscribe"]),
      ...Array.from({ length: count(0.2) }, (_, i): [string, BenchEvent] => [
        pick(pool).openid,
        i % 2 ? "SCAN" : "text",
      ]),
    ];
    for (const o of fresh) pool.push({ openid: o, since: Date.now() });
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
  };
  // A simulator call that fails loses that tick's events (counted as errors), not the soak.
  const pushes = openLoop(soakMs / 1000, server, (tick) =>
    pushTick(tick).catch((error: Error) => {
      tickErrors.push(error.message);
      return [];
    }),
  );

  const pages = pageLoad(soakOver);

  // Exports every EXPORT_EVERY_MS (the first at once).
  const exports: (PageResult & { bytes: number })[] = [];
  const exporting = (async () => {
    for (let i = 0; !soakOver(); i++) {
      const at = soakStart + i * EXPORT_EVERY_MS;
      await sleep(at - performance.now());
      if (soakOver()) break;
      const client = clients[i % CLIENTS]!;
      for (const path of ["/api/export/people-counts", "/api/export/people"])
        exports.push(await getPage(server, client, path, 120_000));
    }
  })();

  // Incremental syncs in a loop, simulator churn (nobody pushes it) before each; the SIGKILL at half time.
  const incremental: number[] = [];
  let killed: KillInfo | null = null;
  const killAt = soakStart + soakMs / 2;
  const killer = (async () => {
    await sleep(killAt - performance.now());
    // Prefer a moment when a run is in progress (up to 20 s more).
    const running = sqlite.prepare("SELECT count(*) FROM sync_runs WHERE status = 'running'").pluck();
    const waitUntil = performance.now() + 20_000;
    while (!(running.get() as number) && performance.now() < waitUntil) await sleep(50);
    const pid = workerPid(serverPid);
    if (!pid) throw new Error("no sync worker child found to kill");
    process.kill(pid, "SIGKILL");
    killed = {
      pid,
      atSeconds: (performance.now() - soakStart) / 1000,
      duringRun: (running.get() as number) > 0,
    };
    console.log(
      `SIGKILL sync worker pid ${pid} at ${killed.atSeconds.toFixed(0)} s (run in progress: ${killed.duringRun})`,
    );
    for (let i = 0; i < 600 && !killed.restartedPid; i++) {
      await sleep(100);
      const again = workerPid(serverPid);
      if (again && again !== pid) killed.restartedPid = again;
    }
  })();
  const churned = { followed: 0, unfollowed: 0 };
  const syncing = (async () => {
    while (!soakOver()) {
      for (const [i, a] of accounts.entries()) {
        const n = Math.max(1, Math.round(sizes[i]! * CHURN_SHARE));
        const [result] = await simCall<{ accounts: { followed: string[]; unfollowed: string[] }[] }>(
          simUrl,
          "/__sim/churn",
          { appid: a.appid, follow: n, unfollow: n },
        ).then((r) => r.accounts);
        churned.followed += result!.followed.length;
        churned.unfollowed += result!.unfollowed.length;
        // Nobody pushes these: the pushes must not unfollow them a second time.
        const gone = new Set(result!.unfollowed);
        subscribed[i] = subscribed[i]!.filter((p) => !gone.has(p.openid));
      }
      incremental.push((await syncAll("incremental")).seconds);
      await sleep(2_000);
    }
  })();

  const pushRun = await pushes;
  console.log("pushes finished");
  const soakPages = await pages;
  console.log("pages finished");
  await exporting;
  console.log("exports finished");
  await killer;
  await syncing;
  console.log("incremental syncs finished");
  await quarter;
  const soakSeconds = (performance.now() - soakStart) / 1000;
  const rssEnd = rss();
  /** CPU the server process used during the soak, as a share of one core (all its threads). */
  const serverCpuPct = (cpuMs(serverPid) - serverCpuStart) / 10 / soakSeconds;
  const workerAtEnd = workerPid(serverPid);

  // Every answered event was committed before its answer: what is not stored now never will be.
  const stored = (countStored.get() as number) - storedBefore;
  const lost = keys.size - stored;
  const pushSummary = summarise(pushRun.results, pushRun.seconds);

  // The profiles of pushed followers are fetched after the replies: wait for them, then the last sync.
  const pendingProfiles = sqlite
    .prepare("SELECT count(*) FROM followers WHERE subscribed = 1 AND profile_fetched_at IS NULL")
    .pluck();
  const drainStarted = performance.now();
  while ((pendingProfiles.get() as number) > 0 && performance.now() - drainStarted < 120_000)
    await sleep(200);
  const last = await syncAll("incremental");
  incremental.push(last.seconds);

  const truth = await simCall<Truth>(simUrl, "/__sim/truth");
  const slots = new Map(accounts.map((a, i) => [i, a.appid]));
  const maintained = maintainedFigures(sqlite, slots);
  const expected = expectedFromTruth(truth);
  const countsMatch = JSON.stringify(maintained) === JSON.stringify(expected);
  const drift = peopleDrift(sqlite);
  const noDrift = JSON.stringify(drift) === JSON.stringify(NO_DRIFT);
  const syncRuns = sqlite.prepare("SELECT status, count(*) AS n FROM sync_runs GROUP BY status").all() as {
    status: string;
    n: number;
  }[];
  sqlite.close();

  const pageErrors = soakPages.filter((r) => !r.ok).length + idlePages.filter((r) => !r.ok).length;
  const exportErrors = exports.filter((r) => !r.ok).length;
  const errors = pageErrors + exportErrors + failedRuns.length + tickErrors.length;
  if (tickErrors.length) console.log("push ticks that failed:", JSON.stringify(tickErrors.slice(0, 5)));
  const reasons = new Map<string, number>();
  for (const r of [...idlePages, ...soakPages, ...exports])
    if (!r.ok) reasons.set(`${r.path}: ${r.why}`, (reasons.get(`${r.path}: ${r.why}`) ?? 0) + 1);
  if (reasons.size) console.log("failed requests:", JSON.stringify(Object.fromEntries(reasons)));
  if (failedRuns.length) console.log("failed sync runs:", JSON.stringify(failedRuns));
  const pushReasons = new Map<string, number>();
  for (const r of pushRun.results as Sent[])
    if (r.why) pushReasons.set(r.why, (pushReasons.get(r.why) ?? 0) + 1);
  if (pushReasons.size)
    console.log("push first attempts that failed:", JSON.stringify(Object.fromEntries(pushReasons)));

  const idleP99 = pctl(idlePages, 99);
  const soakP99 = pctl(soakPages, 99);
  const growth = (k: keyof typeof rssStart, from = rssStart) => ((rssEnd[k] - from[k]) / from[k]) * 100;
  const exportMs = (path: string) => {
    const list = exports.filter((e) => e.path === path && e.ok).map((e) => e.ms);
    return list.length ? Math.max(...list) : NaN;
  };
  const k = killed as KillInfo | null;
  console.log("");
  console.log(
    `soak ${soakSeconds.toFixed(0)} s at ${FOLLOWERS} + ${sizes[1]} followers (full sync ${full.seconds.toFixed(1)} s)`,
  );
  console.log("                                      value");
  const row = (name: string, value: string) => console.log(`${name.padEnd(36)}  ${value}`);
  row(
    "errors (pages, exports, sync runs)",
    `${errors} (${pageErrors}, ${exportErrors}, ${failedRuns.length})`,
  );
  row("lost push events", `${lost} of ${keys.size} (stored ${stored})`);
  row(
    "push requests",
    `${pushSummary.sent} at ${pushSummary.perSec.toFixed(0)}/s, failed after retries ${pushSummary.failed}, retried ${pushSummary.retried}, p99 ${pushSummary.p99Ms.toFixed(1)} ms`,
  );
  row("server CPU during the soak", `${serverCpuPct.toFixed(0)} % of one core (all its threads)`);
  row("counts equal the simulator's truth", String(countsMatch));
  row("people drift", noDrift ? "none" : JSON.stringify(drift).slice(0, 200));
  row(
    "incremental syncs",
    `${incremental.length}, median ${[...incremental].sort((a, b) => a - b)[Math.floor(incremental.length / 2)]!.toFixed(1)} s; churn +${churned.followed} −${churned.unfollowed}; runs ${syncRuns.map((r) => `${r.status} ${r.n}`).join(", ")}`,
  );
  row(
    "worker SIGKILL",
    k
      ? `pid ${k.pid} at ${k.atSeconds.toFixed(0)} s, run in progress ${k.duringRun}, restarted as ${k.restartedPid ?? "—"}`
      : "not done",
  );
  row(
    "exports",
    `${exports.length}, slowest people-counts ${exportMs("/api/export/people-counts").toFixed(0)} ms, people ${exportMs("/api/export/people").toFixed(0)} ms`,
  );
  for (const name of ["server", "worker", "simulator"] as const)
    row(
      `RSS ${name} MB start → end`,
      `${rssStart[name].toFixed(0)} → ${rssEnd[name].toFixed(0)} (${growth(name) >= 0 ? "+" : ""}${growth(name).toFixed(1)} %; from a quarter in ${rssQuarter[name].toFixed(0)}: ${growth(name, rssQuarter) >= 0 ? "+" : ""}${growth(name, rssQuarter).toFixed(1)} %)${name === "worker" ? ` (pid ${workerAtStart} → ${workerAtEnd}, restarted at the kill)` : ""}`,
    );
  row(
    "page p99 ms soak vs idle",
    `${soakP99.toFixed(0)} vs ${idleP99.toFixed(0)} (${(soakP99 / idleP99).toFixed(2)}×); p50 ${pctl(soakPages, 50).toFixed(0)} vs ${pctl(idlePages, 50).toFixed(0)}; ${soakPages.length} pages`,
  );
  if (!countsMatch) console.log(JSON.stringify({ maintained, expected }));

  rmSync(dir, { recursive: true, force: true });
  const round = (n: number, d = 1) => Number(n.toFixed(d));
  console.log(
    JSON.stringify({
      errors,
      pageErrors,
      exportErrors,
      failedSyncRuns: failedRuns.length,
      pushTickErrors: tickErrors.length,
      lost,
      uniqueEvents: keys.size,
      stored,
      pushFailedAfterRetries: pushSummary.failed,
      pushP99Ms: round(pushSummary.p99Ms, 2),
      countsMatchTruth: countsMatch,
      peopleDrift: !noDrift,
      rssStartMb: {
        server: round(rssStart.server),
        worker: round(rssStart.worker),
        simulator: round(rssStart.simulator),
      },
      rssEndMb: {
        server: round(rssEnd.server),
        worker: round(rssEnd.worker),
        simulator: round(rssEnd.simulator),
      },
      rssGrowthPct: {
        server: round(growth("server")),
        worker: round(growth("worker")),
        simulator: round(growth("simulator")),
      },
      rssGrowthFromQuarterPct: {
        server: round(growth("server", rssQuarter)),
        worker: round(growth("worker", rssQuarter)),
        simulator: round(growth("simulator", rssQuarter)),
      },
      serverCpuPct: round(serverCpuPct, 0),
      pageIdleP99Ms: round(idleP99),
      pageSoakP99Ms: round(soakP99),
      pageP99VsIdle: round(soakP99 / idleP99, 2),
      pages: soakPages.length,
      exports: exports.length,
      incrementalSyncs: incremental.length,
      workerKilled: k
        ? { atSeconds: round(k.atSeconds, 0), duringRun: k.duringRun, restarted: Boolean(k.restartedPid) }
        : null,
      fullSyncSeconds: round(full.seconds),
      followers: sizes,
      minutes: MINUTES,
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
