import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Truth } from "@/lib/simulator";
import { syncOnce } from "./testing";
import {
  NO_DRIFT,
  expectedFromTruth,
  maintainedFigures,
  peopleDrift,
  recountedFigures,
} from "@/lib/followers/testing";
import { simAdmin } from "@/lib/simulator/testing";
import { accountsFixture, type SimAccountInfo } from "@/lib/testing/temp-db";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let accounts: SimAccountInfo[];
let fixture: ReturnType<typeof accountsFixture>;

const admin = <T>(path: string, body?: unknown, method?: string) => simAdmin<T>(sim.url, path, body, method);

const slots = () => new Map(accounts.map((a, i) => [i, a.appid]));

async function syncAll(kind: "full" | "incremental") {
  const runs = [];
  for (const account of accounts) runs.push(await syncOnce(fixture, sim.url, account, kind));
  return runs;
}

function run(runId: number) {
  return fixture.sqlite.prepare("SELECT * FROM sync_runs WHERE id = ?").get(runId) as Record<
    string,
    number | string | null
  >;
}

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    seed: 11,
    accounts: 4,
    followers: [1500, 1200, 900, 700],
    overlap: 0.4,
    unbound: 1,
  });
  accounts = await admin<SimAccountInfo[]>("/__sim/accounts");
});
afterAll(() => sim.close());
afterEach(() => fixture?.cleanup());

describe("sync engine against the simulator", () => {
  it("a full sync of every account matches the ground truth exactly", async () => {
    fixture = accountsFixture(accounts);
    const runs = await syncAll("full");
    expect(
      runs.map((r) =>
        r.outcome.status === "failed" ? String((r.outcome.error as Error).stack) : r.outcome.status,
      ),
    ).toEqual(["done", "done", "done", "done"]);
    const expected = expectedFromTruth(await admin<Truth>("/__sim/truth"));
    expect(maintainedFigures(fixture.sqlite, slots())).toEqual(expected);
    expect(recountedFigures(fixture.sqlite, slots())).toEqual(expected);
    expect(peopleDrift(fixture.sqlite)).toEqual(NO_DRIFT);
    const first = run(runs[0]!.runId);
    expect(first).toMatchObject({
      status: "done",
      listed: 1500,
      reported_total: 1500,
      new_followers: 1500,
      unfollowed: 0,
    });
    // The first import records counts, not 1500 "followed" rows.
    expect(fixture.sqlite.prepare("SELECT COUNT(*) AS n FROM sync_changes").get()).toEqual({ n: 0 });
    expect(fixture.sqlite.prepare("SELECT COUNT(*) AS n FROM sync_listed").get()).toEqual({ n: 0 });
  });

  it("after churn, an incremental sync uses far fewer calls and stays exact, recording who came and went", async () => {
    fixture = accountsFixture(accounts);
    const full = await syncAll("full");
    const churn = await admin<{ accounts: { appid: string; followed: string[]; unfollowed: string[] }[] }>(
      "/__sim/churn",
      {
        follow: 12,
        unfollow: 9,
        shared: 0.5,
      },
    );
    const incremental = await syncAll("incremental");
    const expected = expectedFromTruth(await admin<Truth>("/__sim/truth"));
    expect(maintainedFigures(fixture.sqlite, slots())).toEqual(expected);
    expect(recountedFigures(fixture.sqlite, slots())).toEqual(expected);
    expect(peopleDrift(fixture.sqlite)).toEqual(NO_DRIFT);

    const fullCalls = full.reduce((s, r) => s + Number(run(r.runId).api_calls), 0);
    const incrementalCalls = incremental.reduce((s, r) => s + Number(run(r.runId).api_calls), 0);
    expect(incrementalCalls * 3).toBeLessThan(fullCalls);

    const churned = churn.accounts.find((a) => a.appid === accounts[0]!.appid)!;
    const changes = fixture.sqlite
      .prepare("SELECT openid, change FROM sync_changes WHERE run_id = ? ORDER BY change, openid")
      .all(incremental[0]!.runId) as { openid: string; change: string }[];
    expect(
      changes
        .filter((c) => c.change === "unfollowed")
        .map((c) => c.openid)
        .sort(),
    ).toEqual([...churned.unfollowed].sort());
    expect(
      changes
        .filter((c) => c.change === "followed" || c.change === "returned")
        .map((c) => c.openid)
        .sort(),
    ).toEqual([...churned.followed].sort());
    // History is kept: an unfollowed follower is still there, marked.
    const left = fixture.sqlite
      .prepare("SELECT subscribed, unsubscribed_at FROM followers WHERE openid = ?")
      .get(churned.unfollowed[0]) as { subscribed: number; unsubscribed_at: number };
    expect(left.subscribed).toBe(0);
    expect(left.unsubscribed_at).toBeGreaterThan(0);
  });

  it("splits a batch WeChat refuses with 40003 until the good openids go through", async () => {
    fixture = accountsFixture(accounts);
    const account = accounts[1]!;
    await admin("/__sim/faults", { path: "/cgi-bin/user/info/batchget", errcode: 40003, times: 1 });
    const { runId, outcome } = await syncOnce(fixture, sim.url, account, "full");
    await fetch(`${sim.url}/__sim/faults`, { method: "DELETE" });
    expect(outcome.status).toBe("done");
    // A one-off 40003 on a whole batch: the halving finds nobody bad, so nobody is rejected and all are kept.
    const truth = await admin<Truth>("/__sim/truth");
    const subscribed = truth.accounts.find((a) => a.appid === account.appid)!.subscribed;
    expect(run(runId)).toMatchObject({ status: "done", new_followers: subscribed, rejected: 0 });
  });

  it("survives the token being invalidated mid-run", async () => {
    fixture = accountsFixture(accounts);
    await admin("/__sim/faults", {
      path: "/cgi-bin/user/info/batchget",
      errcode: 40001,
      atCall: 3,
      times: 1,
    });
    const { runId, outcome } = await syncOnce(fixture, sim.url, accounts[0]!, "full");
    await fetch(`${sim.url}/__sim/faults`, { method: "DELETE" });
    expect(outcome.status).toBe("done");
    const truth = await admin<Truth>("/__sim/truth");
    expect(run(runId)).toMatchObject({ status: "done", new_followers: truth.accounts[0]!.subscribed });
  });
});
