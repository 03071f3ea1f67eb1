/**
 * One measured phase of `npm run bench:sync`, run by bench/sync.ts in a fresh process of its own so
 * that its peak RSS is its own (the simulator runs in yet another process). Prints progress lines,
 * then its figures as one JSON line after RESULT_MARKER.
 *
 *   node --import tsx --conditions=react-server bench/sync/phase.ts <phase> '<json input>'
 *
 * Phases: floor-client, floor-fetch, full (then churn and an incremental sync), sdk, multi.
 */
import BetterSqlite3 from "better-sqlite3";
import type Database from "better-sqlite3";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WechatAPI from "wechat-api";
import { enqueueSync } from "@/lib/sync/queue";
import { SyncWorker } from "@/lib/sync/worker";
import { syncOnce } from "@/lib/sync/testing";
import type { Truth } from "@/lib/simulator";
import { testClient } from "@/lib/wechat/testing";
import { chunks, MB, pool, RESULT_MARKER, RssSampler, seconds, simJson, type SimAccount } from "./shared";
import { accountsFixture, tempDatabase } from "@/lib/testing/temp-db";

export interface PhaseInput {
  url: string;
  accounts: SimAccount[];
  /** full: follows and unfollows of the churn before the incremental sync. */
  churn?: { follow: number; unfollow: number };
  /** multi: runs of different accounts at once and requests in flight overall (SyncWorker options). */
  maxRuns?: number;
  maxRequests?: number;
  /** What-if knob for investigations: pragmas run on the sync's connection first, e.g. "cache_size = -131072". */
  pragmas?: string[];
}

const CONCURRENCY = 4; // WeChatClient's default, and what syncOnce gives its client

interface RunRow {
  status: string;
  api_calls: number;
  listed: number;
  fetched: number;
  new_followers: number;
  returned: number;
  updated: number;
  unfollowed: number;
  error_message: string | null;
}

function runRow(sqlite: Database.Database, runId: number): RunRow {
  return sqlite
    .prepare(
      "SELECT status, api_calls, listed, fetched, new_followers, returned, updated, unfollowed, error_message FROM sync_runs WHERE id = ?",
    )
    .get(runId) as RunRow;
}

/** Wraps sqlite.transaction so the time spent inside the engine's write transactions is summed. */
function timeTransactions(sqlite: Database.Database): { ms: number; count: number } {
  const totals = { ms: 0, count: 0 };
  const original = sqlite.transaction.bind(sqlite);
  sqlite.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const tx = original(fn);
    const timed = (...args: unknown[]) => {
      const started = performance.now();
      try {
        return tx(...args);
      } finally {
        totals.ms += performance.now() - started;
        totals.count++;
      }
    };
    return Object.assign(timed, {
      default: tx.default,
      deferred: tx.deferred,
      immediate: tx.immediate,
      exclusive: tx.exclusive,
    });
  }) as typeof sqlite.transaction;
  return totals;
}

/** Seconds from the start until each sync_runs.phase was first seen (polled every 50 ms between awaits). */
function watchPhases(sqlite: Database.Database, runId: () => number | undefined, started: number) {
  const seen: Record<string, number> = {};
  const read = sqlite.prepare("SELECT phase FROM sync_runs WHERE id = ?").pluck();
  const timer = setInterval(() => {
    const id = runId();
    if (id === undefined) return;
    const phase = read.get(id) as string | null;
    if (phase && seen[phase] === undefined) seen[phase] = seconds(started);
  }, 50);
  return {
    stop: (total: number) => {
      clearInterval(timer);
      // Durations: listing starts at 0, each phase ends where the next was first seen.
      const order = ["listing", "profiles", "finalising"].filter((p) => seen[p] !== undefined);
      const out: Record<string, number> = {};
      order.forEach((phase, i) => {
        const from = i === 0 ? 0 : seen[phase]!;
        const to = i + 1 < order.length ? seen[order[i + 1]!]! : total;
        out[phase] = to - from;
      });
      return out;
    },
  };
}

async function followersInTruth(url: string): Promise<number[]> {
  const truth = await simJson<Truth>(url, "/__sim/truth");
  return truth.accounts.map((a) => a.subscribed);
}

function maintainedFollowers(sqlite: Database.Database, ids: Map<string, string>, accounts: SimAccount[]) {
  const read = sqlite.prepare("SELECT followers FROM account_counts WHERE account_id = ?").pluck();
  return accounts.map((a) => (read.get(ids.get(a.appid)!) as number | undefined) ?? 0);
}

function dbSizeMb(file: string): number {
  let bytes = 0;
  for (const suffix of ["", "-wal", "-shm"]) {
    try {
      bytes += statSync(file + suffix).size;
    } catch {
      // not there
    }
  }
  return bytes / MB;
}

// ---- floor: the same endpoints and concurrency, results written nowhere ----------------------------

/** WeChatClient (token in a throwaway DB, zod parsing, ledger), user/get pages then batchget ×100, 4 in flight. */
async function floorClient(input: PhaseInput) {
  const account = input.accounts[0]!;
  const database = tempDatabase();
  try {
    const calls = { count: 0 };
    const client = testClient(database.db, input.url, account, {
      onCall: () => calls.count++,
      concurrency: CONCURRENCY,
    });
    const started = performance.now();
    const openids: string[] = [];
    for await (const page of client.allFollowers()) for (const id of page.openids) openids.push(id);
    const listSeconds = seconds(started);
    let profiles = 0;
    await pool(chunks(openids, 100), CONCURRENCY, async (chunk) => {
      const { users } = await client.batchGet(chunk);
      profiles += users.length; // not `profiles += await …`: that reads profiles before the await
    });
    return {
      seconds: seconds(started),
      listSeconds,
      apiCalls: calls.count,
      listed: openids.length,
      profiles,
    };
  } finally {
    database.cleanup();
  }
}

/** Plain fetch + JSON.parse, no validation, no database: what the transport and the simulator cost. */
async function floorFetch(input: PhaseInput) {
  const account = input.accounts[0]!;
  const started = performance.now();
  let calls = 1;
  const token = await simJson<{ access_token: string }>(input.url, "/cgi-bin/stable_token", {
    grant_type: "client_credential",
    appid: account.appid,
    secret: account.secret,
  });
  const withToken = (path: string) => `${path}?access_token=${encodeURIComponent(token.access_token)}`;
  const openids: string[] = [];
  for (let next = ""; ;) {
    calls++;
    const page = await simJson<{ count: number; next_openid: string; data?: { openid: string[] } }>(
      input.url,
      `${withToken("/cgi-bin/user/get")}&next_openid=${encodeURIComponent(next)}`,
    );
    for (const id of page.data?.openid ?? []) openids.push(id);
    if (page.count === 0 || !page.next_openid || page.count < 10_000) break;
    next = page.next_openid;
  }
  const listSeconds = seconds(started);
  let profiles = 0;
  await pool(chunks(openids, 100), CONCURRENCY, async (chunk) => {
    calls++;
    const body = await simJson<{ errcode?: number; user_info_list: unknown[] }>(
      input.url,
      withToken("/cgi-bin/user/info/batchget"),
      { user_list: chunk.map((openid) => ({ openid, lang: "zh_CN" })) },
    );
    if (body.errcode) throw new Error(`batchget: errcode ${body.errcode}`);
    profiles += body.user_info_list.length;
  });
  return { seconds: seconds(started), listSeconds, apiCalls: calls, listed: openids.length, profiles };
}

// ---- the product: full sync, churn, incremental sync ------------------------------------------------

async function full(input: PhaseInput) {
  const account = input.accounts[0]!;
  const fixture = accountsFixture([account]);
  try {
    for (const pragma of input.pragmas ?? []) fixture.sqlite.pragma(pragma);
    const tx = timeTransactions(fixture.sqlite);
    const rss = new RssSampler();
    const rssBefore = process.memoryUsage().rss / MB;
    let runId: number | undefined;
    const latest = fixture.sqlite.prepare("SELECT max(id) FROM sync_runs").pluck();
    let started = performance.now();
    const phases = watchPhases(
      fixture.sqlite,
      () => runId ?? (latest.get() as number | null) ?? undefined,
      started,
    );
    rss.start();
    const fullRun = await syncOnce(fixture, input.url, account, "full");
    const fullSeconds = seconds(started);
    const memory = rss.stop();
    const fullPhases = phases.stop(fullSeconds);
    runId = fullRun.runId;
    const fullRow = runRow(fixture.sqlite, fullRun.runId);
    const fullTx = { ...tx };
    const truthAfterFull = await followersInTruth(input.url);
    const syncedAfterFull = maintainedFollowers(fixture.sqlite, fixture.ids, [account]);
    const dbMb = dbSizeMb(fixture.file);
    console.log(
      `  full sync: ${fullRow.status} in ${fullSeconds.toFixed(1)} s, ${fullRow.api_calls} calls, ` +
        `peak RSS ${memory.maxRssMb.toFixed(0)} MB`,
    );

    const churn = input.churn ?? { follow: 0, unfollow: 0 };
    const churned = await simJson<{ accounts: { followed: string[]; unfollowed: string[] }[] }>(
      input.url,
      "/__sim/churn",
      { appid: account.appid, follow: churn.follow, unfollow: churn.unfollow, shared: 0 },
    );
    const changed = churned.accounts.reduce((n, a) => n + a.followed.length + a.unfollowed.length, 0);

    tx.ms = 0;
    tx.count = 0;
    runId = undefined;
    started = performance.now();
    const incPhases = watchPhases(
      fixture.sqlite,
      () => runId ?? (latest.get() as number | null) ?? undefined,
      started,
    );
    const incRun = await syncOnce(fixture, input.url, account, "incremental");
    const incSeconds = seconds(started);
    const incrementalPhases = incPhases.stop(incSeconds);
    const incRow = runRow(fixture.sqlite, incRun.runId);
    const truthAfterInc = await followersInTruth(input.url);
    const syncedAfterInc = maintainedFollowers(fixture.sqlite, fixture.ids, [account]);
    console.log(
      `  incremental sync after ${changed} changes: ${incRow.status} in ${incSeconds.toFixed(1)} s, ${incRow.api_calls} calls`,
    );
    return {
      full: {
        status: fullRow.status,
        error: fullRow.error_message,
        seconds: fullSeconds,
        apiCalls: fullRow.api_calls,
        listed: fullRow.listed,
        fetched: fullRow.fetched,
        followersPerSecond: fullRow.listed / fullSeconds,
        rssBeforeMb: rssBefore,
        peakRssSampledMb: memory.sampledMb,
        peakRssMb: memory.maxRssMb,
        transactionSeconds: fullTx.ms / 1000,
        transactions: fullTx.count,
        phases: fullPhases,
        dbMb,
        matchesTruth: syncedAfterFull[0] === truthAfterFull[0],
        followers: syncedAfterFull[0],
      },
      churn: { requested: churn, changed },
      incremental: {
        status: incRow.status,
        error: incRow.error_message,
        seconds: incSeconds,
        apiCalls: incRow.api_calls,
        listed: incRow.listed,
        fetched: incRow.fetched,
        newFollowers: incRow.new_followers,
        returned: incRow.returned,
        updated: incRow.updated,
        unfollowed: incRow.unfollowed,
        transactionSeconds: tx.ms / 1000,
        phases: incrementalPhases,
        matchesTruth: syncedAfterInc[0] === truthAfterInc[0],
        followers: syncedAfterInc[0],
      },
    };
  } finally {
    fixture.cleanup();
  }
}

// ---- the SDK loop: how a wechat-api user writes it --------------------------------------------------

/**
 * A plain sequential loop with wechat-api, storing what it fetches as a user would: one INSERT per
 * follower into a SQLite table keyed by openid with an index on unionid (to group people by), one
 * transaction per batchget page. The database gets UnionView's own pragmas (WAL, synchronous NORMAL)
 * so the comparison is about the loop, not about SQLite settings; nothing else is kept in memory.
 */
async function sdk(input: PhaseInput) {
  const account = input.accounts[0]!;
  const dir = mkdtempSync(join(tmpdir(), "unionview-sdk-"));
  const sqlite = new BetterSqlite3(join(dir, "sdk.db"));
  try {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.exec(`CREATE TABLE followers (openid TEXT PRIMARY KEY, unionid TEXT, subscribe INTEGER,
                   subscribe_time INTEGER, subscribe_scene TEXT, remark TEXT, language TEXT, tagid_list TEXT);
                 CREATE INDEX followers_unionid ON followers (unionid);`);
    const insert = sqlite.prepare(
      `INSERT OR REPLACE INTO followers (openid, unionid, subscribe, subscribe_time, subscribe_scene, remark, language, tagid_list)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const store = sqlite.transaction((users: Record<string, unknown>[]) => {
      for (const u of users)
        insert.run(
          u.openid,
          u.unionid ?? null,
          u.subscribe,
          u.subscribe_time ?? null,
          u.subscribe_scene ?? null,
          u.remark ?? null,
          u.language ?? null,
          JSON.stringify(u.tagid_list ?? []),
        );
    });
    const api = new WechatAPI(account.appid, account.secret);
    api.endpoint = input.url; // setEndpoint() would prefix https://
    const call = <T>(method: (cb: (error: Error | null, data: T) => void) => void) =>
      new Promise<T>((resolve, reject) => method((error, data) => (error ? reject(error) : resolve(data))));
    let calls = 1; // the SDK's own /cgi-bin/token
    const started = performance.now();
    const openids: string[] = [];
    for (let next = ""; ;) {
      calls++;
      const page = await call<{ count: number; next_openid: string; data?: { openid: string[] } }>((cb) =>
        api.getFollowers(next, cb),
      );
      if (!page.data || page.count === 0) break;
      openids.push(...page.data.openid);
      if (!page.next_openid) break;
      next = page.next_openid;
    }
    const listSeconds = seconds(started);
    let profiles = 0;
    for (let i = 0; i < openids.length; i += 100) {
      calls++;
      const body = await call<{ user_info_list: Record<string, unknown>[] }>((cb) =>
        api.batchGetUsers(openids.slice(i, i + 100), cb),
      );
      store(body.user_info_list);
      profiles += body.user_info_list.length;
    }
    const stored = sqlite.prepare("SELECT count(*) FROM followers").pluck().get() as number;
    return {
      seconds: seconds(started),
      listSeconds,
      apiCalls: calls,
      listed: openids.length,
      profiles,
      stored,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- several accounts: the SyncWorker, as the app runs it ------------------------------------------

async function multi(input: PhaseInput) {
  const fixture = accountsFixture(input.accounts);
  try {
    for (const pragma of input.pragmas ?? []) fixture.sqlite.pragma(pragma);
    const byId = new Map(input.accounts.map((a) => [fixture.ids.get(a.appid)!, a]));
    const maxRuns = input.maxRuns ?? 2;
    const maxRequests = input.maxRequests ?? 8;
    const worker = new SyncWorker({
      sqlite: fixture.sqlite,
      clientFor: (accountId, shared) => {
        const account = byId.get(accountId);
        return account
          ? testClient(fixture.db, input.url, account, { semaphore: shared.semaphore, onCall: shared.onCall })
          : null;
      },
      maxRuns,
      maxRequests,
      pollMs: 100,
    });
    for (const accountId of byId.keys())
      enqueueSync(fixture.sqlite, { accountId, kind: "full", triggeredBy: "bench" });
    const rss = new RssSampler();
    rss.start();
    const started = performance.now();
    await worker.drain();
    const wall = seconds(started);
    const memory = rss.stop();
    await worker.stop();
    const rows = fixture.sqlite
      .prepare("SELECT status, api_calls, listed, error_message FROM sync_runs")
      .all() as { status: string; api_calls: number; listed: number; error_message: string | null }[];
    const truth = await followersInTruth(input.url);
    const synced = maintainedFollowers(fixture.sqlite, fixture.ids, input.accounts);
    return {
      seconds: wall,
      maxRuns,
      maxRequests,
      statuses: rows.map((r) => (r.error_message ? `${r.status} (${r.error_message})` : r.status)),
      apiCalls: rows.reduce((n, r) => n + r.api_calls, 0),
      listed: rows.reduce((n, r) => n + r.listed, 0),
      peakRssMb: memory.maxRssMb,
      dbMb: dbSizeMb(fixture.file),
      matchesTruth: JSON.stringify(synced) === JSON.stringify(truth),
    };
  } finally {
    fixture.cleanup();
  }
}

const PHASES: Record<string, (input: PhaseInput) => Promise<unknown>> = {
  "floor-client": floorClient,
  "floor-fetch": floorFetch,
  full,
  sdk,
  multi,
};

async function main() {
  const [name, raw] = process.argv.slice(2);
  const phase = name ? PHASES[name] : undefined;
  if (!phase || !raw) throw new Error(`usage: phase.ts <${Object.keys(PHASES).join("|")}> '<json>'`);
  const cpu = process.cpuUsage();
  const result = await phase(JSON.parse(raw) as PhaseInput);
  const used = process.cpuUsage(cpu);
  // CPU seconds of this process for the whole phase (for "full": the churn and incremental sync too).
  const cpuSeconds = (used.user + used.system) / 1e6;
  console.log(RESULT_MARKER + JSON.stringify({ ...(result as object), cpuSeconds }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
