import { explainWeChatError } from "@/lib/i18n/wechat-errors";
import { WeChatError } from "@/lib/wechat/errors";
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Truth } from "@/lib/simulator";
import { testClient } from "@/lib/wechat/testing";
import { runSync } from "./engine";
import { claimRun, enqueueSync, finishRun, heartbeat } from "./queue";
import { expectedFromTruth, maintainedFigures, recountedFigures } from "@/lib/followers/testing";
import { simAdmin } from "@/lib/simulator/testing";
import { accountsFixture, type SimAccountInfo } from "@/lib/testing/temp-db";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let accounts: SimAccountInfo[];
let fixture: ReturnType<typeof accountsFixture>;

const admin = <T>(path: string, body?: unknown, method?: string) => simAdmin<T>(sim.url, path, body, method);

const slots = () => new Map(accounts.map((a, i) => [i, a.appid]));

/** A worker in its own process (`lib/testing/children/sync-worker.ts`) that drains the queue of `file`, then exits. */
function startChildWorker(file: string, profileChunk?: number): ChildProcess {
  const credentials = JSON.stringify(Object.fromEntries(accounts.map((a) => [a.appid, a.secret])));
  return spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--conditions=react-server",
      "lib/testing/children/sync-worker.ts",
      file,
      sim.url,
      credentials,
      "1500",
      ...(profileChunk ? [String(profileChunk)] : []),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
}

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    seed: 21,
    accounts: 2,
    followers: [6000, 2500],
    overlap: 0.4,
    unbound: 0,
  });
  accounts = await admin<SimAccountInfo[]>("/__sim/accounts");
});
afterAll(() => sim.close());
afterEach(async () => {
  fixture?.cleanup();
  await admin("/__sim/faults", undefined, "DELETE");
});

describe("durable sync runs", () => {
  it("a worker killed with SIGKILL mid-run is resumed by the next one, with nothing lost or doubled", async () => {
    fixture = accountsFixture(accounts);
    const accountId = fixture.ids.get(accounts[0]!.appid)!;
    const { runId } = enqueueSync(fixture.sqlite, { accountId, kind: "full", triggeredBy: "test" });
    await admin("/__sim/faults", { path: "/cgi-bin/user/info/batchget", latencyMs: 40 });
    // 1,000 profiles per commit: several commits before the kill.
    const startWorker = () => startChildWorker(fixture.file, 1000);
    const fetched = () =>
      fixture.sqlite.prepare("SELECT fetched FROM sync_runs WHERE id = ?").pluck().get(runId) as number;

    const first = startWorker();
    const deadline = Date.now() + 30_000;
    while (fetched() < 2000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const atKill = fetched();
    expect(atKill).toBeGreaterThanOrEqual(2000);
    expect(atKill).toBeLessThan(6000);

    const second = startWorker();
    const code = await new Promise((r) => second.once("exit", r));
    expect(code).toBe(0);

    const runRow = fixture.sqlite
      .prepare("SELECT status, fetched, new_followers, listed FROM sync_runs WHERE id = ?")
      .get(runId);
    expect(runRow).toEqual({ status: "done", fetched: 6000, new_followers: 6000, listed: 6000 });
    const truth = expectedFromTruth(await admin<Truth>("/__sim/truth"));
    const figures = maintainedFigures(fixture.sqlite, slots());
    expect(figures.accounts[0]).toEqual(truth.accounts[0]);
    expect(recountedFigures(fixture.sqlite, slots()).accounts[0]).toEqual(truth.accounts[0]);
    expect(fixture.sqlite.prepare("SELECT COUNT(*) AS n FROM followers").get()).toEqual({ n: 6000 });
  }, 60_000);

  it("pauses on the daily quota and resumes by itself after midnight Beijing time", async () => {
    fixture = accountsFixture(accounts);
    const account = accounts[1]!;
    const accountId = fixture.ids.get(account.appid)!;
    const simNow = async () => (await admin<{ now: number }>("/__sim/clock")).now * 1000;
    let offset = (await simNow()) - Date.now();
    const now = () => Date.now() + offset;
    // 2,500 followers need 25 batchget calls: 15 today, the other 10 after midnight.
    await admin("/__sim/config", { quotas: { "/cgi-bin/user/info": 15 } });
    try {
      const { runId } = enqueueSync(fixture.sqlite, {
        accountId,
        kind: "full",
        triggeredBy: "test",
        now: now(),
      });
      const calls = { count: 0 };
      const client = testClient(fixture.db, sim.url, account, { onCall: () => calls.count++ });

      expect(claimRun(fixture.sqlite, "w", now(), 60_000)?.id).toBe(runId);
      const paused = await runSync(runId, { sqlite: fixture.sqlite, client, calls, now, profileChunk: 1000 });
      expect(paused.status).toBe("paused");
      finishRun(fixture.sqlite, runId, "w", paused, now());
      const row = fixture.sqlite
        .prepare("SELECT status, paused_until, error_code FROM sync_runs WHERE id = ?")
        .get(runId) as {
        status: string;
        paused_until: number;
        error_code: number;
      };
      expect(row.status).toBe("paused");
      expect(row.error_code).toBe(45009);
      expect(claimRun(fixture.sqlite, "w", now(), 60_000)).toBeNull(); // not before midnight

      const secondsToMidnight = Math.ceil((row.paused_until - now()) / 1000) + 5;
      await admin("/__sim/clock", { advanceSeconds: secondsToMidnight });
      offset = (await simNow()) - Date.now();
      expect(claimRun(fixture.sqlite, "w", now(), 60_000)?.id).toBe(runId);
      const done = await runSync(runId, { sqlite: fixture.sqlite, client, calls, now, profileChunk: 1000 });
      expect(done.status).toBe("done");
      const truth = expectedFromTruth(await admin<Truth>("/__sim/truth"));
      expect(maintainedFigures(fixture.sqlite, slots()).accounts[1]).toEqual(truth.accounts[1]);
    } finally {
      await admin("/__sim/config", { quotas: { "/cgi-bin/user/info": null } });
    }
  });

  it("pauses when the configured daily call budget is used up, before WeChat says 45009", async () => {
    fixture = accountsFixture(accounts);
    const account = accounts[1]!;
    const { runId } = enqueueSync(fixture.sqlite, {
      accountId: fixture.ids.get(account.appid)!,
      kind: "full",
      triggeredBy: "test",
    });
    expect(claimRun(fixture.sqlite, "w", Date.now(), 60_000)?.id).toBe(runId);
    const calls = { count: 0 };
    const client = testClient(fixture.db, sim.url, account, { onCall: () => calls.count++ });
    const outcome = await runSync(runId, {
      sqlite: fixture.sqlite,
      client,
      calls,
      dailyCallBudget: 8,
      profileChunk: 1000,
    });
    expect(outcome.status).toBe("paused");
    if (outcome.status !== "paused" || !(outcome.error instanceof WeChatError))
      throw new Error("not a WeChat pause");
    expect(outcome.error.category).toBe("quota-exhausted");
    expect(explainWeChatError(outcome.error, "en")).toMatch(/daily API call budget/);
    const used = fixture.sqlite.prepare("SELECT sum(calls) FROM api_usage").pluck().get() as number;
    expect(used).toBeGreaterThanOrEqual(8);
    // Checked between batches of 1,000 profiles (10 calls): it may overshoot by one batch, never more.
    expect(used).toBeLessThanOrEqual(8 + 10);
    expect(used).toBeLessThan(25);
  });

  it("never lets two workers hold the same account's run, and takes over one whose worker died", () => {
    fixture = accountsFixture(accounts);
    const accountId = fixture.ids.get(accounts[0]!.appid)!;
    const first = enqueueSync(fixture.sqlite, { accountId, kind: "full", triggeredBy: "a", now: 1000 });
    expect(
      enqueueSync(fixture.sqlite, { accountId, kind: "incremental", triggeredBy: "b", now: 1000 }),
    ).toEqual({
      runId: first.runId,
      alreadyActive: true,
    });
    expect(claimRun(fixture.sqlite, "A", 1000, 10_000)?.id).toBe(first.runId);
    expect(claimRun(fixture.sqlite, "B", 2000, 10_000)).toBeNull();
    expect(heartbeat(fixture.sqlite, first.runId, "A", 15_000)).toBe(true);
    expect(claimRun(fixture.sqlite, "B", 14_000, 10_000)).toBeNull();
    // A stops beating; after its lease B takes the run over and A learns it lost it.
    expect(claimRun(fixture.sqlite, "B", 16_000, 10_000)?.id).toBe(first.runId);
    expect(heartbeat(fixture.sqlite, first.runId, "A", 30_000)).toBe(false);
    expect(() =>
      fixture.sqlite
        .prepare(
          "INSERT INTO sync_runs (account_id, kind, status, triggered_by) VALUES (?, 'full', 'running', 'x')",
        )
        .run(accountId),
    ).toThrow(/UNIQUE/);
  });

  // Last: it spends simulator quota that the quota tests above count on.
  it("two worker processes syncing different accounts at once both finish (writes wait for each other)", async () => {
    fixture = accountsFixture(accounts);
    const runIds = accounts.map(
      (a) =>
        enqueueSync(fixture.sqlite, {
          accountId: fixture.ids.get(a.appid)!,
          kind: "full",
          triggeredBy: "test",
        }).runId,
    );
    const workers = [0, 1].map(() => startChildWorker(fixture.file));
    const codes = await Promise.all(workers.map((w) => new Promise((r) => w.once("exit", r))));
    expect(codes).toEqual([0, 0]);
    const statuses = runIds.map((id) =>
      fixture.sqlite.prepare("SELECT status, error_message AS error FROM sync_runs WHERE id = ?").get(id),
    );
    expect(statuses).toEqual([
      { status: "done", error: null },
      { status: "done", error: null },
    ]);
    const truth = expectedFromTruth(await admin<Truth>("/__sim/truth"));
    expect(maintainedFigures(fixture.sqlite, slots())).toEqual(truth);
  }, 60_000);
});
