import { describe, expect, it } from "vitest";
import { startSimulator } from "./index";
import type { ChurnResult } from "./simulator";
import { batchget, listAllOpenids, wxClient, type WxTestClient } from "./testing";
import type { Truth } from "./truth";

/** Recounts the truth the hard way: every user/get page and every profile through the public API. */
async function recount(wx: WxTestClient): Promise<Truth> {
  const accounts = await wx.admin<Array<{ appid: string; secret: string; bound: boolean }>>(
    "GET",
    "/__sim/accounts",
  );
  const rows: Truth["accounts"] = [];
  const seenBy = new Map<string, Set<string>>();
  for (const account of accounts) {
    const token = await wx.token({ ...account, name: "", originalId: "", pushToken: "", encodingAESKey: "" });
    const openids = await listAllOpenids(wx, token);
    const profiles = await batchget(wx, token, openids);
    expect(profiles.every((p) => p.subscribe === 1)).toBe(true);
    let withUnionid = 0;
    for (const profile of profiles) {
      if (typeof profile.unionid !== "string") continue;
      withUnionid++;
      const set = seenBy.get(profile.unionid) ?? new Set<string>();
      set.add(account.appid);
      seenBy.set(profile.unionid, set);
    }
    rows.push({
      appid: account.appid,
      subscribed: openids.length,
      withUnionid,
      withoutUnionid: openids.length - withUnionid,
    });
  }
  const accountsPerPerson: Record<string, number> = {};
  for (const set of seenBy.values()) accountsPerPerson[set.size] = (accountsPerPerson[set.size] ?? 0) + 1;
  const bound = accounts.filter((a) => a.bound);
  const pairwiseOverlap = bound.flatMap((a, i) =>
    bound.slice(i + 1).map((b) => ({
      a: a.appid,
      b: b.appid,
      people: [...seenBy.values()].filter((set) => set.has(a.appid) && set.has(b.appid)).length,
    })),
  );
  return {
    accounts: rows,
    uniquePeople: seenBy.size,
    followersWithoutUnionid: rows.reduce((n, r) => n + r.withoutUnionid, 0),
    summedFollows: rows.reduce((n, r) => n + r.subscribed, 0),
    pairwiseOverlap,
    accountsPerPerson,
  };
}

describe("ground truth", () => {
  const cases = [
    { seed: 1, accounts: 4, followers: [900, 600, 400, 300], overlap: 0.35, unbound: 1 },
    { seed: 2, accounts: 5, followers: 350, overlap: 0.6, unbound: 2, noUnionid: 0.1 },
    { seed: 3, accounts: 3, followers: [1200, 50, 0], overlap: 0.2, unbound: 0, unsubscribed: 0.3 },
  ];
  for (const options of cases) {
    it(`equals a brute-force recount through the API after churn (seed ${options.seed})`, async () => {
      const running = await startSimulator(options);
      try {
        const wx = wxClient(running.url);
        expect(await wx.admin("GET", "/__sim/truth")).toStrictEqual(await recount(wx));

        const [first, second] = running.sim.accounts();
        const churned = await wx.admin<{ accounts: ChurnResult[] }>("POST", "/__sim/churn", {
          follow: 40,
          unfollow: 25,
        });
        expect(churned.accounts).toHaveLength(options.accounts);
        await wx.admin("POST", "/__sim/follow", { appid: first!.appid, count: 30, shared: true });
        await wx.admin("POST", "/__sim/follow", { appid: second!.appid, count: 10 });
        const gone = await wx.admin<{ openids: string[] }>("POST", "/__sim/unfollow", {
          appid: first!.appid,
          count: 15,
        });
        const back = await wx.admin<{ openids: string[] }>("POST", "/__sim/follow", {
          appid: first!.appid,
          openids: gone.openids.slice(0, 5),
        });
        expect(back.openids).toStrictEqual(gone.openids.slice(0, 5));
        await wx.admin("POST", "/__sim/clock", { advanceSeconds: 3600 });
        await wx.admin("POST", "/__sim/churn", { appid: second!.appid, follow: 5, unfollow: 5, shared: 1 });

        const truth = await wx.admin<Truth>("GET", "/__sim/truth");
        expect(truth).toStrictEqual(await recount(wx));
        expect(truth.summedFollows).toBe(truth.accounts.reduce((n, a) => n + a.subscribed, 0));
      } finally {
        await running.close();
      }
    });
  }

  it("tracks each churned openid: unfollowed ones leave user/get and read subscribe 0, new ones appear", async () => {
    const running = await startSimulator({ seed: 4, accounts: 2, followers: 300 });
    try {
      const wx = wxClient(running.url);
      const account = running.sim.accounts()[0]!;
      const token = await wx.token(account);
      const before = new Set(await listAllOpenids(wx, token));
      const [result] = (
        await wx.admin<{ accounts: ChurnResult[] }>("POST", "/__sim/churn", {
          appid: account.appid,
          follow: 20,
          unfollow: 10,
          shared: 0.5,
        })
      ).accounts as [ChurnResult];
      expect(result.followed).toHaveLength(20);
      expect(result.unfollowed).toHaveLength(10);
      expect(result.unfollowed.every((o) => before.has(o))).toBe(true);
      expect(result.followed.some((o) => before.has(o))).toBe(false);
      const after = new Set(await listAllOpenids(wx, token));
      expect(after.size).toBe(before.size + 10);
      expect(result.unfollowed.some((o) => after.has(o))).toBe(false);
      expect(result.followed.every((o) => after.has(o))).toBe(true);
      const profiles = await batchget(wx, token, [...result.unfollowed, ...result.followed]);
      expect(profiles.slice(0, 10).every((p) => p.subscribe === 0)).toBe(true);
      expect(profiles.slice(10).every((p) => p.subscribe === 1)).toBe(true);

      // The shared half are people who already follow the other account: same unionid there.
      const sharedPeople = result.followed.slice(0, 10).map((openid) => running.sim.findPerson(openid)!);
      for (const person of sharedPeople) {
        expect(person.follows.map((f) => f.appid)).toContain(running.sim.accounts()[1]!.appid);
      }
    } finally {
      await running.close();
    }
  });
});
