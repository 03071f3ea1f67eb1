import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "./index";
import type { AccountInfo } from "./simulator";
import { batchget, listAllOpenids, wxClient, type Json, type WxTestClient } from "./testing";

describe("user/get pagination", () => {
  for (const followers of [10_000, 20_000, 9_999]) {
    it(`pages ${followers} followers and ends with a count-0 call without a data key`, async () => {
      const running = await startSimulator({ seed: 3, accounts: 1, followers, unsubscribed: 0.2 });
      try {
        const wx = wxClient(running.url);
        const token = await wx.token(running.sim.accounts()[0]!);
        const pages: Json[] = [];
        let next = "";
        do {
          const page = await wx.get("/cgi-bin/user/get", { access_token: token, next_openid: next });
          pages.push(page);
          next = page.next_openid as string;
        } while (next !== "" && pages.length < 10);

        const full = Math.floor(followers / 10_000);
        const partial = followers % 10_000 === 0 ? 0 : 1;
        expect(pages).toHaveLength(full + partial + 1);
        for (const page of pages.slice(0, -1)) {
          expect(page.total).toBe(followers);
          expect(page.count).toBe((page.data as { openid: string[] }).openid.length);
          expect(page.next_openid).toBe((page.data as { openid: string[] }).openid.at(-1));
        }
        expect(pages.slice(0, full).every((p) => p.count === 10_000)).toBe(true);
        expect(pages.at(-1)).toStrictEqual({ total: followers, count: 0, next_openid: "" });
        const all = pages.flatMap((p) => (p.data as { openid: string[] } | undefined)?.openid ?? []);
        expect(new Set(all).size).toBe(followers);
        expect(all.every((openid) => openid.length === 28 && openid.startsWith("o"))).toBe(true);
      } finally {
        await running.close();
      }
    });
  }
});

describe("user endpoints", () => {
  let running: RunningSimulator;
  let wx: WxTestClient;
  let bound: AccountInfo;
  let unbound: AccountInfo;
  let token: string;

  beforeAll(async () => {
    running = await startSimulator({
      seed: 11,
      accounts: 3,
      unbound: 1,
      followers: [400, 300, 200],
      overlap: 0.5,
    });
    wx = wxClient(running.url);
    [bound, , unbound] = running.sim.accounts() as [AccountInfo, AccountInfo, AccountInfo];
    token = await wx.token(bound);
  });
  afterAll(() => running.close());

  it("order is not by subscribe time", async () => {
    const openids = await listAllOpenids(wx, token);
    const times = (await batchget(wx, token, openids)).map((p) => p.subscribe_time as number);
    const sorted = [...times].sort((a, b) => a - b);
    expect(times).not.toStrictEqual(sorted);
    expect(times).not.toStrictEqual(sorted.reverse());
  });

  it("answers an unknown next_openid with 40003", async () => {
    const [other] = running.sim.followers(unbound.appid, { limit: 1 }).openids;
    for (const next of [other!, "oXXXXXXXXXXXXXXXXXXXXXXXXXXX", "nope"]) {
      const page = await wx.get("/cgi-bin/user/get", { access_token: token, next_openid: next });
      expect(page.errcode).toBe(40003);
    }
  });

  it("describes a subscribed follower with WeChat's keys and empty nickname fields", async () => {
    const [openid] = running.sim.followers(bound.appid, { subscribed: true, limit: 1 }).openids;
    const profile = await wx.get("/cgi-bin/user/info", {
      access_token: token,
      openid: openid!,
      lang: "zh_CN",
    });
    expect(profile).toMatchObject({
      subscribe: 1,
      openid,
      nickname: "",
      headimgurl: "",
      sex: 0,
      city: "",
      province: "",
      country: "",
      groupid: 0,
    });
    expect(profile.subscribe_scene).toMatch(/^ADD_SCENE_/);
    expect(Array.isArray(profile.tagid_list)).toBe(true);
    expect(typeof profile.subscribe_time).toBe("number");
    expect(typeof profile.qr_scene).toBe("number");
    expect(typeof profile.qr_scene_str).toBe("string");
    expect(typeof profile.remark).toBe("string");
  });

  it("answers an unsubscribed openid with subscribe 0 and nothing else", async () => {
    const unsubscribed = running.sim.followers(bound.appid, { subscribed: false, limit: 3 }).openids;
    expect(unsubscribed).toHaveLength(3);
    const listed = new Set(await listAllOpenids(wx, token));
    expect(unsubscribed.some((o) => listed.has(o))).toBe(false);
    const profiles = await batchget(wx, token, unsubscribed);
    expect(profiles).toStrictEqual(unsubscribed.map((openid) => ({ subscribe: 0, openid, tagid_list: [] })));
  });

  it("gives the same unionid and different openids across bound accounts, none on the unbound one", async () => {
    const truth = running.sim.truth();
    expect(truth.accountsPerPerson["2"]).toBeGreaterThan(0);
    const accounts = running.sim.accounts();
    const byUnionid = new Map<string, string[]>();
    for (const account of accounts) {
      const accountToken = await wx.token(account);
      const profiles = await batchget(wx, accountToken, await listAllOpenids(wx, accountToken));
      for (const profile of profiles) {
        if (!account.bound) {
          expect(profile).not.toHaveProperty("unionid");
          continue;
        }
        if (typeof profile.unionid !== "string") continue;
        byUnionid.set(profile.unionid, [...(byUnionid.get(profile.unionid) ?? []), profile.openid as string]);
      }
    }
    const shared = [...byUnionid.values()].filter((openids) => openids.length > 1);
    expect(shared.length).toBe(truth.pairwiseOverlap.find((p) => p.a === accounts[0]!.appid)!.people);
    expect(shared.every((openids) => new Set(openids).size === openids.length)).toBe(true);
  });

  it("batchget refuses an empty list or more than 100 with 40032", async () => {
    const openids = running.sim.followers(bound.appid, { limit: 101 }).openids;
    const call = (list: string[]) =>
      wx.post(
        "/cgi-bin/user/info/batchget",
        { user_list: list.map((openid) => ({ openid })) },
        { access_token: token },
      );
    expect((await call([])).errcode).toBe(40032);
    expect((await call(openids)).errcode).toBe(40032);
    expect((await call(openids.slice(0, 100))).user_info_list).toHaveLength(100);
  });

  it("batchget fails the whole batch with 40003 on one bad openid", async () => {
    const openids = running.sim.followers(bound.appid, { limit: 10 }).openids;
    const foreign = running.sim.followers(unbound.appid, { limit: 1 }).openids[0]!;
    const first = openids[0]!;
    const mistyped = `${first.slice(0, 27)}${first.endsWith("A") ? "B" : "A"}`;
    for (const bad of [foreign, mistyped, ""]) {
      const list = [...openids.slice(0, 5), bad, ...openids.slice(5)].map((openid) => ({ openid }));
      const result = await wx.post(
        "/cgi-bin/user/info/batchget",
        { user_list: list },
        { access_token: token },
      );
      expect(result.errcode).toBe(40003);
      expect(result).not.toHaveProperty("user_info_list");
    }
  });

  it("updateremark stores up to 30 characters and refuses more with 40033", async () => {
    const [openid] = running.sim.followers(bound.appid, { subscribed: true, limit: 1 }).openids as [string];
    const update = (remark: string) =>
      wx.post("/cgi-bin/user/info/updateremark", { openid, remark }, { access_token: token });
    expect(await update("三十个字以内的备注 VIP")).toStrictEqual({ errcode: 0, errmsg: "ok" });
    const profile = await wx.get("/cgi-bin/user/info", { access_token: token, openid });
    expect(profile.remark).toBe("三十个字以内的备注 VIP");
    expect((await update("备".repeat(30))).errcode).toBe(0);
    expect((await update("备".repeat(31))).errcode).toBe(40033);
  });

  it("lists tags with Chinese names and tags members in batches of at most 50", async () => {
    const tags = (await wx.get("/cgi-bin/tags/get", { access_token: token })).tags as Array<{
      id: number;
      name: string;
      count: number;
    }>;
    expect(tags[0]).toMatchObject({ id: 2, name: "星标组" });
    const openids = running.sim.followers(bound.appid, { subscribed: true, limit: 51 }).openids;
    const tagging = (list: string[], tagid: number) =>
      wx.post("/cgi-bin/tags/members/batchtagging", { openid_list: list, tagid }, { access_token: token });
    expect((await tagging(openids, 2)).errcode).toBe(40032);
    expect((await tagging([], 2)).errcode).toBe(40032);
    expect((await tagging(openids.slice(0, 50), 99_999)).errcode).toBe(45159);
    expect(await tagging(openids.slice(0, 50), 2)).toStrictEqual({ errcode: 0, errmsg: "ok" });
    const after = (await wx.get("/cgi-bin/tags/get", { access_token: token })).tags as typeof tags;
    expect(after[0]!.count).toBeGreaterThanOrEqual(50);
    const profile = await wx.get("/cgi-bin/user/info", { access_token: token, openid: openids[0]! });
    expect(profile.tagid_list).toContain(2);
  });
});
