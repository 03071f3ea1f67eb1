/**
 * Sync engine against the WeChat simulator on loopback: figures only, no thresholds enforced.
 *
 *   npm run bench:sync                # 1,000,000 followers; 5 accounts × 300,000
 *   npm run bench:sync -- --quick     # 100,000; 5 × 30,000
 *   npm run bench:sync -- --no-sdk    # skip the wechat-api loop
 *   npm run bench:sync -- --cpu-prof  # V8 CPU profiles of every phase, in a temp folder (kept)
 *   npm run bench:sync -- --latency-ms 20  # every simulator answer delayed, as over a real network
 *   npm run bench:sync -- --pragma "cache_size = -131072"  # what-if: a pragma on the sync's connection (repeatable)
 *
 * The simulator runs in a child process, and every measured phase in a fresh child process of its
 * own (bench/sync/phase.ts), so each phase's peak RSS is the sync's and not the simulator's or a
 * previous phase's. Prints a table, then as the last line one JSON object of figures.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { PhaseInput } from "./sync/phase";
import { chunks, pool, RESULT_MARKER, simJson, type SimAccount } from "./sync/shared";
import { killChildren, track } from "./child-processes";

const ROOT = resolve(__dirname, "..");
const args = new Set(process.argv.slice(2));
const QUICK = args.has("--quick");
const SDK = !args.has("--no-sdk");
const latencyAt = process.argv.indexOf("--latency-ms");
const LATENCY_MS = latencyAt < 0 ? 0 : Number(process.argv[latencyAt + 1]) || 0;
const PRAGMAS = process.argv.flatMap((arg, i) => (arg === "--pragma" ? [process.argv[i + 1] ?? ""] : []));
const PROFILE_DIR = args.has("--cpu-prof") ? mkdtempSync(join(tmpdir(), "unionview-bench-prof-")) : null;

const BIG = QUICK ? 100_000 : 1_000_000;
const MULTI = { accounts: 5, followers: QUICK ? 30_000 : 300_000, overlap: 0.4 };
const CHURN = { follow: BIG / 200, unfollow: BIG / 200 }; // 1% of the followers change
/** The simulator's daily quotas (user/get 500) would run out across the phases against one account. */
const BENCH_QUOTAS = { "/cgi-bin/user/get": 1_000_000, "/cgi-bin/user/info": 1_000_000_000 };

// ---- the simulator, in a child process ----------------------------------------------------------

interface Sim {
  url: string;
  /** CPU seconds the simulator process has used so far (Linux /proc; null elsewhere). */
  cpuSeconds(): number | null;
  accounts: SimAccount[];
  close(): Promise<void>;
}

async function startSim(flags: Record<string, string | number>): Promise<Sim> {
  const argv = ["--import", "tsx", "lib/simulator/cli.ts", "--port", "0", "--host", "127.0.0.1"];
  for (const [flag, value] of Object.entries(flags)) argv.push(`--${flag}`, String(value));
  const child = track(spawn(process.execPath, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] }));
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error("the simulator did not start within 120 s")), 120_000);
    lines.on("line", (line) => {
      const match = /WeChat API simulator on (http:\/\/\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited (${code}) before listening: ${stderr.trim()}`));
    });
  });
  await simJson(url, "/__sim/config", { quotas: BENCH_QUOTAS });
  const accounts = await simJson<SimAccount[]>(url, "/__sim/accounts");
  return {
    url,
    cpuSeconds: () => processCpuSeconds(child.pid),
    accounts: accounts.map(({ appid, secret, name, bound }) => ({ appid, secret, name, bound })),
    close: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}

/** utime + stime of a process, from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s). */
function processCpuSeconds(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** A few hundred calls so the simulator's code is compiled before anything is timed; then any latency. */
async function warmUp(sim: Sim) {
  const account = sim.accounts[0]!;
  const { access_token: token } = await simJson<{ access_token: string }>(sim.url, "/cgi-bin/stable_token", {
    grant_type: "client_credential",
    appid: account.appid,
    secret: account.secret,
  });
  const page = await simJson<{ data?: { openid: string[] } }>(
    sim.url,
    `/cgi-bin/user/get?access_token=${token}`,
  );
  const openids = (page.data?.openid ?? []).slice(0, 30_000);
  await pool(chunks(openids, 100), 4, async (chunk) => {
    await simJson(sim.url, `/cgi-bin/user/info/batchget?access_token=${token}`, {
      user_list: chunk.map((openid) => ({ openid, lang: "zh_CN" })),
    });
  });
  if (LATENCY_MS > 0) await simJson(sim.url, "/__sim/faults", { path: "*", latencyMs: LATENCY_MS });
}

// ---- one phase, in a fresh child process --------------------------------------------------------

interface Measured {
  /** CPU seconds of the phase's own process, and of the simulator while the phase ran. */
  cpuSeconds: number;
  simCpuSeconds: number | null;
}

async function phase<T>(name: string, input: PhaseInput, sim: Sim): Promise<T & Measured> {
  const simCpuBefore = sim.cpuSeconds();
  const argv = ["--import", "tsx", "--conditions=react-server", "--expose-gc"];
  // One profile per thread (tsx's loader runs in a worker), named by node: CPU.<date>.<pid>.<tid>.<seq>.cpuprofile
  if (PROFILE_DIR) argv.push("--cpu-prof", "--cpu-prof-dir", join(PROFILE_DIR, name));
  argv.push("bench/sync/phase.ts", name, JSON.stringify(input));
  const child = track(spawn(process.execPath, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] }));
  let result: T | undefined;
  createInterface({ input: child.stdout! }).on("line", (line) => {
    if (line.startsWith(RESULT_MARKER)) result = JSON.parse(line.slice(RESULT_MARKER.length)) as T;
    else console.log(line);
  });
  const code = await new Promise<number | null>((done) => child.once("close", done));
  if (code !== 0 || result === undefined) throw new Error(`phase ${name} failed (exit ${code})`);
  const simCpuAfter = sim.cpuSeconds();
  const simCpuSeconds = simCpuBefore === null || simCpuAfter === null ? null : simCpuAfter - simCpuBefore;
  return { ...result, simCpuSeconds } as T & Measured;
}

// ---- figures ------------------------------------------------------------------------------------

interface FloorResult {
  seconds: number;
  listSeconds: number;
  apiCalls: number;
  listed: number;
  profiles: number;
}
interface FullResult {
  full: {
    status: string;
    seconds: number;
    apiCalls: number;
    listed: number;
    followersPerSecond: number;
    rssBeforeMb: number;
    peakRssSampledMb: number;
    peakRssMb: number;
    transactionSeconds: number;
    phases: Record<string, number>;
    dbMb: number;
    matchesTruth: boolean;
  };
  churn: { changed: number };
  incremental: {
    status: string;
    seconds: number;
    apiCalls: number;
    fetched: number;
    newFollowers: number;
    unfollowed: number;
    transactionSeconds: number;
    phases: Record<string, number>;
    matchesTruth: boolean;
  };
}
interface SdkResult extends FloorResult {
  stored: number;
  peakRssMb: number;
}
interface MultiResult {
  seconds: number;
  maxRuns: number;
  maxRequests: number;
  statuses: string[];
  apiCalls: number;
  listed: number;
  peakRssMb: number;
  dbMb: number;
  matchesTruth: boolean;
}

const cpuCell = (m: Measured) => `${fmt(m.cpuSeconds)} / ${fmt(m.simCpuSeconds)}`;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const fmt = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined ? "n/a" : n.toLocaleString("en-US", { maximumFractionDigits: digits });

function table(rows: (string | number | null)[][]) {
  const text = rows.map((row) => row.map((cell) => (typeof cell === "number" ? fmt(cell) : (cell ?? "n/a"))));
  const widths = text[0]!.map((_, i) => Math.max(...text.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row.map((cell, i) =>
      i === 0 || i === row.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!),
    );
  console.log(line(text[0]!).join("  "));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of text.slice(1)) console.log(line(row).join("  "));
}

async function main() {
  console.log(
    `bench:sync${QUICK ? " --quick" : ""}: node ${process.version}, simulator in a child process on 127.0.0.1, ` +
      `every phase in a fresh process${LATENCY_MS ? `, ${LATENCY_MS} ms added to every answer` : ""}${PRAGMAS.length ? `, pragmas ${PRAGMAS.join("; ")}` : ""}${PROFILE_DIR ? `, CPU profiles in ${PROFILE_DIR}` : ""}`,
  );
  let sim: Sim | null = null;
  try {
    // One account of BIG followers: floors, full sync, churn + incremental sync, SDK loop.
    let started = performance.now();
    sim = await startSim({ seed: 1, accounts: 1, followers: BIG });
    console.log(
      `simulator: ${BIG.toLocaleString()} followers, ready in ${fmt((performance.now() - started) / 1000)} s`,
    );
    await warmUp(sim);
    const input: PhaseInput = { url: sim.url, accounts: sim.accounts, pragmas: PRAGMAS };

    console.log("floor (plain fetch) …");
    const floorFetch = await phase<FloorResult>("floor-fetch", input, sim);
    console.log("floor (WeChatClient) …");
    const floor = await phase<FloorResult>("floor-client", input, sim);
    console.log("full sync + churn + incremental sync …");
    const full = await phase<FullResult>("full", { ...input, churn: CHURN }, sim);
    let sdk: (SdkResult & Measured) | null = null;
    let sdkError: string | null = SDK ? null : "skipped (--no-sdk)";
    if (SDK) {
      console.log("wechat-api loop …");
      try {
        sdk = await phase<SdkResult>("sdk", input, sim);
      } catch (error) {
        sdkError = error instanceof Error ? error.message : String(error);
      }
    }
    await sim.close();
    sim = null;

    // Several accounts with overlapping audiences, through the SyncWorker.
    started = performance.now();
    sim = await startSim({
      seed: 2,
      accounts: MULTI.accounts,
      followers: MULTI.followers,
      overlap: MULTI.overlap,
    });
    console.log(
      `simulator: ${MULTI.accounts} × ${MULTI.followers.toLocaleString()} followers, overlap ${MULTI.overlap}, ` +
        `ready in ${fmt((performance.now() - started) / 1000)} s`,
    );
    await warmUp(sim);
    console.log(`${MULTI.accounts} accounts through SyncWorker …`);
    const multi = await phase<MultiResult>(
      "multi",
      { url: sim.url, accounts: sim.accounts, pragmas: PRAGMAS },
      sim,
    );
    await sim.close();
    sim = null;

    const f = full.full;
    const inc = full.incremental;
    console.log("");
    table([
      ["measurement", "seconds", "API calls", "followers/s", "peak RSS MB", "CPU s: own / sim", "note"],
      [
        `floor, plain fetch (1 × ${fmt(BIG, 0)})`,
        floorFetch.seconds,
        floorFetch.apiCalls,
        floorFetch.listed / floorFetch.seconds,
        null,
        cpuCell(floorFetch),
        `${fmt(floorFetch.profiles, 0)} profiles; listing ${fmt(floorFetch.listSeconds)} s; no validation, nothing stored`,
      ],
      [
        `floor, WeChatClient (1 × ${fmt(BIG, 0)})`,
        floor.seconds,
        floor.apiCalls,
        floor.listed / floor.seconds,
        null,
        cpuCell(floor),
        `${fmt(floor.profiles, 0)} profiles; listing ${fmt(floor.listSeconds)} s; batchget ×100, 4 in flight, dropped`,
      ],
      [
        `full sync (1 × ${fmt(BIG, 0)})`,
        f.seconds,
        f.apiCalls,
        f.followersPerSecond,
        f.peakRssMb,
        `${cpuCell(full)} (with incremental)`,
        `${f.status}; ${Object.entries(f.phases)
          .map(([p, s]) => `${p} ${fmt(s)} s`)
          .join(", ")}; in write transactions ${fmt(f.transactionSeconds)} s; ` +
          `db ${fmt(f.dbMb, 0)} MB; counts ${f.matchesTruth ? "match" : "DIFFER FROM"} truth`,
      ],
      [
        `incremental after ${fmt(full.churn.changed, 0)} changes`,
        inc.seconds,
        inc.apiCalls,
        null,
        null,
        null,
        `${inc.status}; ${fmt(inc.fetched, 0)} profiles refetched (+${fmt(inc.newFollowers, 0)} / -${fmt(inc.unfollowed, 0)}); ` +
          `counts ${inc.matchesTruth ? "match" : "DIFFER FROM"} truth`,
      ],
      [
        `wechat-api loop (1 × ${fmt(BIG, 0)})`,
        sdk?.seconds ?? null,
        sdk?.apiCalls ?? null,
        sdk ? sdk.listed / sdk.seconds : null,
        sdk?.peakRssMb ?? null,
        sdk ? cpuCell(sdk) : null,
        sdk
          ? `sequential; listing ${fmt(sdk.listSeconds)} s; ${fmt(sdk.stored, 0)} rows stored, one INSERT each, a transaction per page`
          : `n/a: ${sdkError}`,
      ],
      [
        `${MULTI.accounts} × ${fmt(MULTI.followers, 0)}, overlap ${MULTI.overlap}`,
        multi.seconds,
        multi.apiCalls,
        multi.listed / multi.seconds,
        multi.peakRssMb,
        cpuCell(multi),
        `SyncWorker: ${multi.maxRuns} runs at once, ${multi.maxRequests} requests in flight; ` +
          `${multi.statuses.join(",")}; counts ${multi.matchesTruth ? "match" : "DIFFER FROM"} truth`,
      ],
    ]);

    const figures = {
      quick: QUICK,
      latencyMs: LATENCY_MS,
      pragmas: PRAGMAS,
      followers: BIG,
      fullSyncSeconds: round(f.seconds),
      fullVsFloor: round(f.seconds / floor.seconds),
      speedupVsSdk: sdk ? round(sdk.seconds / f.seconds) : null,
      peakRssMb: round(f.peakRssMb, 0),
      incrementalCallReduction: round(f.apiCalls / inc.apiCalls, 1),
      fullApiCalls: f.apiCalls,
      incrementalApiCalls: inc.apiCalls,
      incrementalSeconds: round(inc.seconds),
      incrementalVsFullTime: round(inc.seconds / f.seconds, 3),
      followersPerSecond: round(f.followersPerSecond, 0),
      floorSeconds: round(floor.seconds),
      floorFetchSeconds: round(floorFetch.seconds),
      sdkSeconds: sdk ? round(sdk.seconds) : null,
      fiveAccountSeconds: round(multi.seconds),
      fiveAccountApiCalls: multi.apiCalls,
      fiveAccountPeakRssMb: round(multi.peakRssMb, 0),
      fullPhases: Object.fromEntries(Object.entries(f.phases).map(([k, v]) => [k, round(v)])),
      fullTransactionSeconds: round(f.transactionSeconds),
      countsMatchTruth: f.matchesTruth && inc.matchesTruth && multi.matchesTruth,
      // CPU seconds (own process, simulator): on a shared machine wall time also measures the neighbours.
      cpuSeconds: {
        floorFetch: [round(floorFetch.cpuSeconds), round(floorFetch.simCpuSeconds ?? NaN)],
        floor: [round(floor.cpuSeconds), round(floor.simCpuSeconds ?? NaN)],
        fullWithIncremental: [round(full.cpuSeconds), round(full.simCpuSeconds ?? NaN)],
        sdk: sdk ? [round(sdk.cpuSeconds), round(sdk.simCpuSeconds ?? NaN)] : null,
        fiveAccounts: [round(multi.cpuSeconds), round(multi.simCpuSeconds ?? NaN)],
      },
    };
    const targets: [string, boolean | null][] = [
      ["fullVsFloor ≤ 1.5", figures.fullVsFloor <= 1.5],
      ["speedupVsSdk ≥ 5", figures.speedupVsSdk === null ? null : figures.speedupVsSdk >= 5],
      ["peakRssMb ≤ 400", figures.peakRssMb <= 400],
      ["incrementalCallReduction ≥ 50", figures.incrementalCallReduction >= 50],
    ];
    console.log("");
    console.log(
      "targets: " +
        targets.map(([label, ok]) => `${label} ${ok === null ? "n/a" : ok ? "met" : "MISSED"}`).join(" · "),
    );
    console.log(JSON.stringify(figures));
  } finally {
    await sim?.close();
    killChildren();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  killChildren();
  process.exit(1);
});
