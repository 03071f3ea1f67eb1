import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Truth } from "@/lib/simulator";
import { PushApplier } from "@/lib/push/apply";
import type { WeChatClient } from "@/lib/wechat/client";
import { testClient } from "@/lib/wechat/testing";
import { deleteAccountData } from "@/lib/followers/account-data";
import { runSync } from "@/lib/sync/engine";
import { claimRun, enqueueSync, finishRun } from "@/lib/sync/queue";
import { syncOnce } from "@/lib/sync/testing";
import { expectedFromTruth, maintainedFigures } from "@/lib/followers/testing";
import { simAdmin } from "@/lib/simulator/testing";
import { accountsFixture, type SimAccountInfo } from "@/lib/testing/temp-db";

/**
 * A sync racing the things that touch the same followers while it waits on WeChat: a push event for
 * a follower in the batch being fetched, and another worker that took the run over.
 */
type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let accounts: SimAccountInfo[];
let fixture: ReturnType<typeof accountsFixture>;
const admin = <T>(path: string, body?: unknown, method?: string) => simAdmin<T>(sim.url, path, body, method);
const slots = () => new Map(accounts.map((a, i) => [i, a.appid]));

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 7, accounts: 1, followers: 300, unbound: 0 });
  accounts = await admin<SimAccountInfo[]>("/__sim/accounts");
});
afterAll(() => sim.close());
afterEach(() => fixture?.cleanup());

/** A client whose batchGet answers only once `open()` is called (the answer itself is fetched at once). */
function gatedClient(client: WeChatClient) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let entered!: () => void;
  const waiting = new Promise<void>((resolve) => (entered = resolve));
  const gated = Object.create(client) as WeChatClient;
  gated.batchGet = async (openids, lang) => {
    const answer = await client.batchGet(openids, lang);
    entered();
    await gate;
    return answer;
  };
  return { client: gated, open, waiting };
}

/** A fresh database with the account, optionally fully synced once, and a queued run claimed by `owner`. */
async function claimedRun(options: { synced: boolean; owner?: string; now?: number }) {
  fixture = accountsFixture(accounts);
  const account = accounts[0]!;
  if (options.synced) await syncOnce(fixture, sim.url, account, "full");
  const accountId = fixture.ids.get(account.appid)!;
  const now = options.now ?? Date.now();
  const { runId } = enqueueSync(fixture.sqlite, { accountId, kind: "full", triggeredBy: "test", now });
  expect(claimRun(fixture.sqlite, options.owner ?? "w", now, options.owner ? 30_000 : 60_000)?.id).toBe(
    runId,
  );
  return { account, accountId, runId };
}

/** WeChat's follow or unfollow event for `openid`, applied as the push endpoint would. */
function pushFollow(
  applier: PushApplier,
  accountId: string,
  openid: string,
  event: "subscribe" | "unsubscribe",
) {
  return applier.apply(
    { id: accountId, slot: 0, bound: accounts[0]!.bound },
    {
      toUserName: "gh",
      fromUser: openid,
      createTime: Math.floor(Date.now() / 1000),
      msgType: "event",
      event,
      eventKey: null,
    },
    "plain",
    Date.now(),
  ).outcome;
}

async function unfollowOne(appid: string): Promise<string> {
  const { openids } = await admin<{ openids: string[] }>("/__sim/unfollow", { appid, count: 1 });
  return openids[0]!;
}

async function expectTruth() {
  const truth = await admin<Truth>("/__sim/truth");
  expect(maintainedFigures(fixture.sqlite, slots())).toEqual(expectedFromTruth(truth));
}

describe("sync races", () => {
  it("a profile fetched before a pushed unsubscribe does not re-follow the follower", async () => {
    const { account, accountId, runId } = await claimedRun({ synced: true });
    const gated = gatedClient(testClient(fixture.db, sim.url, account));
    const running = runSync(runId, { sqlite: fixture.sqlite, client: gated.client, calls: { count: 0 } });
    await gated.waiting; // the batch's profiles are fetched: every follower still subscribed

    // Now one of them leaves, and WeChat pushes the unsubscribe.
    const gone = await unfollowOne(account.appid);
    expect(pushFollow(new PushApplier(fixture.sqlite), accountId, gone, "unsubscribe")).toBe("applied");

    gated.open();
    const outcome = await running;
    finishRun(fixture.sqlite, runId, "w", outcome, Date.now());
    expect(outcome.status).toBe("done");
    const subscribed = fixture.sqlite
      .prepare("SELECT subscribed FROM followers WHERE account_id = ? AND openid = ?")
      .pluck()
      .get(accountId, gone);
    expect(subscribed).toBe(0);
    await expectTruth();
  });

  // X left without the unsubscribe reaching us (our row still says subscribed), so the listing does
  // not have X. While the run fetches profiles X follows again: the pushed subscribe changes nothing
  // (noop) but proves X follows after the listing began, so finalising must not mark X unfollowed.
  it("does not mark unfollowed a follower whose subscribe was pushed after the listing, even as a noop", async () => {
    const { account, accountId, runId } = await claimedRun({ synced: true });
    const x = await unfollowOne(account.appid);
    const gated = gatedClient(testClient(fixture.db, sim.url, account));
    const running = runSync(runId, { sqlite: fixture.sqlite, client: gated.client, calls: { count: 0 } });
    await gated.waiting;

    await admin("/__sim/follow", { appid: account.appid, openids: [x] });
    expect(pushFollow(new PushApplier(fixture.sqlite), accountId, x, "subscribe")).toBe("noop");

    gated.open();
    const outcome = await running;
    finishRun(fixture.sqlite, runId, "w", outcome, Date.now());
    expect(outcome.status).toBe("done");
    await expectTruth();
  });

  // The same follower, but the web server applies the pushed subscribe while this run is between
  // reading its vanished followers and marking them (another process: simulated at the run's
  // between-batches check, which comes right there).
  it("re-checks pushed follows when it marks vanished followers", async () => {
    const { account, accountId, runId } = await claimedRun({ synced: true });
    const x = await unfollowOne(account.appid);
    const progress = fixture.sqlite.prepare(
      "SELECT phase, fetched, to_fetch AS toFetch FROM sync_runs WHERE id = ?",
    );
    const applier = new PushApplier(fixture.sqlite);
    let pushed: string | null = null;
    const outcome = await runSync(runId, {
      sqlite: fixture.sqlite,
      client: testClient(fixture.db, sim.url, account),
      calls: { count: 0 },
      shouldContinue: () => {
        const run = progress.get(runId) as { phase: string; fetched: number; toFetch: number };
        if (pushed === null && run.phase === "profiles" && run.toFetch > 0 && run.fetched === run.toFetch) {
          pushed = pushFollow(applier, accountId, x, "subscribe");
        }
        return true;
      },
    });
    finishRun(fixture.sqlite, runId, "w", outcome, Date.now());
    expect(pushed).toBe("noop");
    await admin("/__sim/follow", { appid: account.appid, openids: [x] });
    await expectTruth();
  });

  // "Sync now", then the account is deleted while the run waits on WeChat: the run must write nothing
  // for it afterwards (followers of a deleted account, people with the freed slot's bit, its counts).
  it("writes nothing for an account deleted while its sync was running", async () => {
    const { account, accountId, runId } = await claimedRun({ synced: false });
    const gated = gatedClient(testClient(fixture.db, sim.url, account));
    const running = runSync(runId, {
      sqlite: fixture.sqlite,
      client: gated.client,
      calls: { count: 0 },
      profileChunk: 100,
    });
    await gated.waiting;
    fixture.sqlite
      .transaction(() => {
        deleteAccountData(fixture.sqlite, accountId, 0);
        fixture.sqlite.prepare("DELETE FROM accounts WHERE id = ?").run(accountId);
      })
      .immediate();

    gated.open();
    const ended = await running;
    const count = (sql: string) => fixture.sqlite.prepare(sql).pluck().get() as number;
    expect(count("SELECT count(*) FROM followers")).toBe(0);
    expect(count("SELECT count(*) FROM people")).toBe(0);
    expect(count("SELECT count(*) FROM account_counts")).toBe(0);
    expect(count("SELECT coalesce(sum(people), 0) FROM mask_counts")).toBe(0);
    expect(ended.status).toBe("stopped");
  });

  // The budget is checked before the next batch is requested, which happens before the current
  // batch is written: a spent budget threw there and the batch already fetched was thrown away. With
  // a budget that allows one batch a day, the run paid for it every day and never moved.
  it("writes the batch it fetched before pausing on the daily call budget", async () => {
    const { account, runId } = await claimedRun({ synced: false });
    const calls = { count: 0 };
    const client = testClient(fixture.db, sim.url, account, { onCall: () => calls.count++ });
    // The token, one user/get page, and room for one batchget call of 100 profiles.
    const outcome = await runSync(runId, {
      sqlite: fixture.sqlite,
      client,
      calls,
      dailyCallBudget: 3,
      profileChunk: 100,
    });
    expect(outcome.status).toBe("paused");
    const batchgets = fixture.sqlite
      .prepare("SELECT sum(calls) FROM api_usage WHERE path = '/cgi-bin/user/info/batchget'")
      .pluck()
      .get() as number;
    expect(batchgets).toBeGreaterThan(0);
    const fetched = fixture.sqlite.prepare("SELECT fetched FROM sync_runs WHERE id = ?").pluck().get(runId);
    expect(fetched).toBe(batchgets * 100);
  });

  // Worker A is suspended (Ctrl-Z on `npm run cli -- sync`, a VM pause, a clock behind) while its
  // batchget is in flight; its lease expires, worker B takes the run over and finishes it (deleting
  // the run's staged openids). When A wakes up it has not heard from its heartbeat yet and carries on.
  it("a worker that lost its lease commits nothing more", async () => {
    const t0 = Date.now();
    const { account, runId } = await claimedRun({ synced: true, owner: "A", now: t0 });
    const gated = gatedClient(testClient(fixture.db, sim.url, account));
    const runningA = runSync(runId, {
      sqlite: fixture.sqlite,
      client: gated.client,
      calls: { count: 0 },
      profileChunk: 100,
    });
    await gated.waiting;

    // 31 s later A's lease has expired: B claims the run and finishes it.
    const t1 = t0 + 31_000;
    expect(claimRun(fixture.sqlite, "B", t1, 30_000)?.id).toBe(runId);
    const outcomeB = await runSync(runId, {
      sqlite: fixture.sqlite,
      client: testClient(fixture.db, sim.url, account),
      calls: { count: 0 },
      now: () => t1,
    });
    expect(outcomeB.status).toBe("done");
    finishRun(fixture.sqlite, runId, "B", outcomeB, t1);
    const truth = await admin<Truth>("/__sim/truth");
    expect(maintainedFigures(fixture.sqlite, slots())).toEqual(expectedFromTruth(truth));

    gated.open();
    const outcomeA = await runningA;
    finishRun(fixture.sqlite, runId, "A", outcomeA, Date.now());
    expect(maintainedFigures(fixture.sqlite, slots())).toEqual(expectedFromTruth(truth));
    expect(outcomeA.status).toBe("stopped");
  });
});
