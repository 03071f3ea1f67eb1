import type Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { startPushReceiver } from "@/lib/push/testing";
import { startSimulator, type AccountInfo, type PushResult, type Truth } from "@/lib/simulator";
import { syncOnce } from "@/lib/sync/testing";
import { parsePeopleParams } from "@/lib/people/filters";
import { listPeople } from "@/lib/people/rows";
import { links } from "./links";
import { audienceOverview, audienceTrend, type Overview } from "./overview";
import { NO_DRIFT, peopleDrift } from "@/lib/followers/testing";
import { simAdmin } from "@/lib/simulator/testing";
import { accountsFixture } from "@/lib/testing/temp-db";

/** How many people the people list shows for a chart's link (every page, rows counted). */
function listed(sqlite: Database.Database, href: string): number {
  const { filter } = parsePeopleParams(Object.fromEntries(new URL(href, "http://x").searchParams));
  return listPeople(sqlite, filter, { limit: 1_000_000 }).rows.length;
}

/** The overview's figures recounted the slow way, from the follower rows alone (never people or counts). */
function bruteForce(sqlite: Database.Database) {
  const accounts = sqlite.prepare("SELECT id, appid, slot FROM accounts ORDER BY slot").all() as {
    id: string;
    appid: string;
    slot: number;
  }[];
  const follows = sqlite
    .prepare("SELECT account_id AS accountId, openid, unionid FROM followers WHERE subscribed = 1")
    .all() as { accountId: string; openid: string; unionid: string | null }[];
  // A person is a unionid, or one follower without one.
  const people = new Map<string, Set<string>>();
  for (const f of follows) {
    const key = f.unionid ?? `${f.accountId}/${f.openid}`;
    if (!people.has(key)) people.set(key, new Set());
    people.get(key)!.add(f.accountId);
  }
  const histogram = new Map<number, number>();
  for (const set of people.values()) histogram.set(set.size, (histogram.get(set.size) ?? 0) + 1);
  const sets = [...people.values()];
  const perAccount = accounts.map((a) => ({
    appid: a.appid,
    followers: follows.filter((f) => f.accountId === a.id).length,
    withoutUnionid: follows.filter((f) => f.accountId === a.id && f.unionid === null).length,
    exclusive: sets.filter((s) => s.has(a.id) && s.size === 1).length,
    shared: sets.filter((s) => s.has(a.id) && s.size > 1).length,
  }));
  const pairs = [];
  for (let i = 0; i < accounts.length; i++)
    for (let j = i + 1; j < accounts.length; j++)
      pairs.push({
        a: accounts[i]!.appid,
        b: accounts[j]!.appid,
        people: sets.filter((s) => s.has(accounts[i]!.id) && s.has(accounts[j]!.id)).length,
      });
  const summed = follows.length;
  return {
    accounts: perAccount,
    summedFollowers: summed,
    uniquePeople: people.size,
    duplicateFollows: summed - people.size,
    withoutUnionid: follows.filter((f) => f.unionid === null).length,
    histogram: [...histogram.entries()]
      .sort(([x], [y]) => x - y)
      .map(([accounts, n]) => ({ accounts, people: n })),
    pairs,
  };
}

function shown(o: Overview) {
  return {
    accounts: o.accounts.map((a) => ({
      appid: a.appid,
      followers: a.followers,
      withoutUnionid: a.withoutUnionid,
      exclusive: a.exclusive,
      shared: a.shared,
    })),
    summedFollowers: o.summedFollowers,
    uniquePeople: o.uniquePeople,
    duplicateFollows: o.duplicateFollows,
    withoutUnionid: o.withoutUnionid.total,
    histogram: o.histogram,
    pairs: o.pairs.map(({ a, b, people }) => ({ a, b, people })),
  };
}

/** What the simulator's ground truth says the overview must show (a follower without unionid is a person). */
function fromTruth(truth: Truth) {
  return {
    summedFollowers: truth.summedFollows,
    uniquePeople: truth.uniquePeople + truth.followersWithoutUnionid,
    duplicateFollows: truth.summedFollows - truth.uniquePeople - truth.followersWithoutUnionid,
    withoutUnionid: truth.followersWithoutUnionid,
    followers: truth.accounts.map((a) => a.subscribed),
  };
}

/** A small deterministic generator for the population parameters of each seed. */
function params(seed: number) {
  let s = seed * 2_654_435_761;
  const next = () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const accounts = 2 + Math.floor(next() * 7); // 2..8
  return {
    port: 0,
    seed,
    accounts,
    followers: Array.from({ length: accounts }, () => 20 + Math.floor(next() * 260)),
    overlap: 0.2 + next() * 0.6,
    noUnionid: next() * 0.2,
    unsubscribed: next() * 0.2,
    unbound: Math.floor(next() * Math.min(3, accounts)),
  };
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe("overview figures are exact", () => {
  for (const seed of [3, 8, 21, 55]) {
    it(`seed ${seed}: full sync, churn + incremental sync, push events, unfollows + full sync`, async () => {
      const options = params(seed);
      const sim = await startSimulator(options);
      const accounts = await simAdmin<AccountInfo[]>(sim.url, "/__sim/accounts");
      const fixture = accountsFixture(accounts);
      const receiver = await startPushReceiver(fixture, sim.url, accounts);
      cleanup = () => {
        void receiver.close();
        fixture.cleanup();
        void sim.close();
      };
      const check = async () => {
        const overview = audienceOverview(fixture.sqlite);
        const brute = bruteForce(fixture.sqlite);
        expect(shown(overview)).toEqual(brute);
        // Each bar and cell links to a people list of exactly that many people.
        for (const a of brute.accounts) {
          expect(listed(fixture.sqlite, links.exclusive(a.appid))).toBe(a.exclusive);
          expect(listed(fixture.sqlite, links.shared(a.appid))).toBe(a.shared);
        }
        for (const p of brute.pairs) expect(listed(fixture.sqlite, links.pair(p.a, p.b))).toBe(p.people);
        for (const h of brute.histogram)
          expect(listed(fixture.sqlite, links.accountsFollowed(h.accounts))).toBe(h.people);
        expect(listed(fixture.sqlite, links.everyone())).toBe(brute.uniquePeople);
        expect(listed(fixture.sqlite, links.noUnionid())).toBe(brute.withoutUnionid);
        const truth = fromTruth(await simAdmin<Truth>(sim.url, "/__sim/truth"));
        expect({
          summedFollowers: overview.summedFollowers,
          uniquePeople: overview.uniquePeople,
          duplicateFollows: overview.duplicateFollows,
          withoutUnionid: overview.withoutUnionid.total,
          followers: overview.accounts.map((a) => a.followers),
        }).toEqual(truth);
        // The trend's latest point is today's figures, pushes included.
        const { day: _day, ...latest } = audienceTrend(fixture.sqlite, "0000-01-01", "9999-12-31").at(-1)!;
        expect(latest).toEqual({
          summedFollowers: overview.summedFollowers,
          uniquePeople: overview.uniquePeople,
          withoutUnionid: overview.withoutUnionid.total,
        });
        for (const a of overview.accounts) expect(a.exclusive + a.shared).toBe(a.followers);
        // Follows without unionid split by why: all of an unbound account's, plus what WeChat left out.
        const unbound = overview.accounts.filter((a) => !a.bound);
        expect(overview.withoutUnionid.unboundAccount).toBe(unbound.reduce((s, a) => s + a.followers, 0));
        // …and, in bound accounts, profiles not fetched yet apart from profiles that came without one.
        expect(overview.withoutUnionid.profilePending).toBe(
          fixture.sqlite
            .prepare(
              `SELECT count(*) FROM followers f JOIN accounts a ON a.id = f.account_id
                WHERE a.bound_to_open_platform = 1 AND f.subscribed = 1 AND f.unionid IS NULL AND f.profile_fetched_at IS NULL`,
            )
            .pluck()
            .get(),
        );
        expect(overview.withoutUnionid.notReturned).toBe(
          overview.withoutUnionid.total -
            overview.withoutUnionid.unboundAccount -
            overview.withoutUnionid.profilePending,
        );
        expect(peopleDrift(fixture.sqlite)).toEqual(NO_DRIFT);
        expect(overview.provisional).toBe(false);
      };
      const syncAll = async (kind: "full" | "incremental") => {
        for (const account of accounts) {
          const { outcome } = await syncOnce(fixture, sim.url, account, kind);
          expect(outcome.status).toBe("done");
        }
      };

      // Before any sync: all zeros, every account flagged never synced.
      const empty = audienceOverview(fixture.sqlite);
      expect(empty.uniquePeople).toBe(0);
      expect(empty.someNeverSynced).toBe(true);

      await syncAll("full");
      await check();
      expect(audienceOverview(fixture.sqlite).someNeverSynced).toBe(false);

      await simAdmin(sim.url, "/__sim/churn", { follow: 15, unfollow: 10, shared: 0.6 });
      await syncAll("incremental");
      await check();

      // WeChat's pushes between syncs: new and shared follows, unfollows, returns, in random accounts.
      let r = seed;
      const pick = () => accounts[(r = (r * 48_271) % 2_147_483_647) % accounts.length]!;
      // One simulated second between pushes: WeChat's dedupe key is FromUserName + CreateTime (seconds),
      // so a follow, unfollow and return in the same second would look like retries of one message.
      const push = async (appid: string, request: Record<string, unknown>) => {
        await simAdmin(sim.url, "/__sim/clock", { advanceSeconds: 1 });
        return simAdmin<PushResult>(sim.url, "/__sim/push", {
          appid,
          url: receiver.url(appid),
          mode: "safe",
          ...request,
        });
      };
      for (let i = 0; i < 12; i++) {
        const account = pick();
        const sent = [
          await push(account.appid, { event: "subscribe" }),
          await push(pick().appid, { event: "subscribe", shared: true }),
          await push(account.appid, { event: "unsubscribe" }),
        ];
        if (i % 4 === 0)
          sent.push(await push(account.appid, { event: "subscribe", openid: sent[2]!.openid }));
        expect(sent.map((x) => x.status)).toEqual(sent.map(() => 200));
      }
      await receiver.batcher.idle();
      await check();

      await simAdmin(sim.url, "/__sim/churn", { unfollow: 25 });
      await simAdmin(sim.url, "/__sim/churn", { appid: accounts[0]!.appid, follow: 30, shared: 1 });
      await syncAll("incremental");
      await check();

      await simAdmin(sim.url, "/__sim/churn", { follow: 5, unfollow: 5, shared: 0.3 });
      await syncAll("full");
      await check();
    }, 60_000);
  }

  it("marks the figures provisional while a sync is queued", async () => {
    const sim = await startSimulator(params(1));
    const accounts = await simAdmin<AccountInfo[]>(sim.url, "/__sim/accounts");
    const fixture = accountsFixture(accounts);
    cleanup = () => {
      fixture.cleanup();
      void sim.close();
    };
    await syncOnce(fixture, sim.url, accounts[0]!, "full");
    const { enqueueSync } = await import("@/lib/sync/queue");
    enqueueSync(fixture.sqlite, {
      accountId: fixture.ids.get(accounts[1]!.appid)!,
      kind: "full",
      triggeredBy: "test",
      now: Date.now(),
    });
    const overview = audienceOverview(fixture.sqlite);
    expect(overview.provisional).toBe(true);
    expect(overview.accounts[1]!.syncing).toBe(true);
    expect(overview.someNeverSynced).toBe(true);
    expect(overview.accounts[0]!.stale).toBe(false);
    expect(audienceOverview(fixture.sqlite, Date.now() + 8 * 86_400_000).accounts[0]!.stale).toBe(true);
    // A disabled account is neither stale nor waiting for its first sync.
    fixture.sqlite.prepare("UPDATE accounts SET disabled_at = 1").run();
    fixture.sqlite.prepare("DELETE FROM sync_runs").run();
    const disabled = audienceOverview(fixture.sqlite, Date.now() + 8 * 86_400_000);
    expect(disabled.accounts[0]!.stale).toBe(false);
    expect(disabled.someNeverSynced).toBe(false);
  });

  it("counts a pushed follow whose profile is not fetched yet apart from a profile WeChat gave without unionid", async () => {
    const sim = await startSimulator({ ...params(2), unbound: 0 });
    const accounts = await simAdmin<AccountInfo[]>(sim.url, "/__sim/accounts");
    const fixture = accountsFixture(accounts);
    const failedFetches: unknown[] = [];
    const receiver = await startPushReceiver(fixture, sim.url, accounts, {
      onProfileError: (error) => failedFetches.push(error),
    });
    cleanup = () => {
      void receiver.close();
      fixture.cleanup();
      void sim.close();
    };
    for (const account of accounts) await syncOnce(fixture, sim.url, account, "full");
    const before = audienceOverview(fixture.sqlite).withoutUnionid;
    expect(before.profilePending).toBe(0);
    expect(before.notReturned).toBe(before.total);

    // WeChat's batchget fails for now: three pushed follows stay without their profile.
    await simAdmin(sim.url, "/__sim/faults", { path: "/cgi-bin/user/info/batchget", errcode: 48001 });
    for (let i = 0; i < 3; i++) {
      await simAdmin(sim.url, "/__sim/clock", { advanceSeconds: 1 });
      const sent = await simAdmin<PushResult>(sim.url, "/__sim/push", {
        appid: accounts[0]!.appid,
        url: receiver.url(accounts[0]!.appid),
        mode: "safe",
        event: "subscribe",
      });
      expect(sent.status).toBe(200);
    }
    await receiver.batcher.idle();
    expect(failedFetches.length).toBeGreaterThan(0);
    const pending = audienceOverview(fixture.sqlite).withoutUnionid;
    expect(pending).toEqual({ ...before, total: before.total + 3, profilePending: 3 });

    // Once fetched, they leave "not fetched yet" (and count as WeChat says).
    await simAdmin(sim.url, "/__sim/faults", undefined, "DELETE");
    await syncOnce(fixture, sim.url, accounts[0]!, "incremental");
    const after = audienceOverview(fixture.sqlite).withoutUnionid;
    expect(after.profilePending).toBe(0);
    expect(after.notReturned).toBe(after.total);
  }, 60_000);
});
