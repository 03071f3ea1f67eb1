import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secondsToBeijingMidnight } from "./clock";
import { startSimulator, type RunningSimulator } from "./index";
import type { AccountInfo } from "./simulator";
import { wxClient, type WxTestClient } from "./testing";

let running: RunningSimulator;
let wx: WxTestClient;
let account: AccountInfo;
let other: AccountInfo;

beforeAll(async () => {
  running = await startSimulator({
    seed: 5,
    accounts: 2,
    followers: 20,
    quotas: { "/cgi-bin/user/get": 3 },
    perMinute: { "/cgi-bin/user/info": 2 },
  });
  wx = wxClient(running.url);
  [account, other] = running.sim.accounts() as [AccountInfo, AccountInfo];
});
afterAll(() => running.close());

/** Advances the simulated clock to the next moment whose UTC time of day is `secondOfDay`. */
async function advanceToUtc(secondOfDay: number): Promise<void> {
  const now = running.sim.clock.now();
  const ahead = (((secondOfDay - (now % 86_400)) % 86_400) + 86_400) % 86_400;
  await wx.admin("POST", "/__sim/clock", { advanceSeconds: ahead });
}

const userGet = (token: string) => wx.get("/cgi-bin/user/get", { access_token: token });

describe("daily quotas", () => {
  it("answer 45009 past the limit and roll over at 00:00 Beijing time, not UTC", async () => {
    // 23:59:30 UTC = 07:59:30 Beijing: crossing UTC midnight must not reset anything.
    await advanceToUtc(86_400 - 30);
    let token = await wx.token(account);
    for (let i = 0; i < 3; i++) expect((await userGet(token)).errcode).toBeUndefined();
    expect((await userGet(token)).errcode).toBe(45009);
    await wx.admin("POST", "/__sim/clock", { advanceSeconds: 60 });
    expect((await userGet(token)).errcode).toBe(45009);

    // 15:59:30 UTC = 23:59:30 Beijing.
    await advanceToUtc(16 * 3600 - 30);
    token = await wx.token(account);
    expect((await userGet(token)).errcode).toBe(45009);
    await wx.admin("POST", "/__sim/clock", { advanceSeconds: 60 });
    expect((await userGet(token)).errcode).toBeUndefined();
  });

  it("are per account", async () => {
    const token = await wx.token(other);
    expect((await userGet(token)).errcode).toBeUndefined();
  });

  it("are reported by quota/get and reset by clear_quota, 10 times a month", async () => {
    const toMidnight = secondsToBeijingMidnight(running.sim.clock.now());
    await wx.admin("POST", "/__sim/clock", { advanceSeconds: toMidnight + 30 });
    const token = await wx.token(account);
    await userGet(token);
    await userGet(token);
    const quota = (path: string) =>
      wx.post("/cgi-bin/openapi/quota/get", { cgi_path: path }, { access_token: token });
    expect(await quota("/cgi-bin/user/get")).toMatchObject({ quota: { daily_limit: 3, used: 2, remain: 1 } });
    expect((await quota("/cgi-bin/user/info/batchget")).quota).toMatchObject({ daily_limit: 5_000_000 });
    expect((await quota("/cgi-bin/nope")).errcode).toBe(76021);

    expect(
      (await wx.post("/cgi-bin/clear_quota", { appid: other.appid }, { access_token: token })).errcode,
    ).toBe(40013);
    // Make sure all ten clears fall in one Beijing month.
    const day = new Date((running.sim.clock.now() + 8 * 3600) * 1000).getUTCDate();
    if (day > 25) await wx.admin("POST", "/__sim/clock", { advanceSeconds: 8 * 86_400 });
    const fresh = await wx.token(account);
    for (let i = 0; i < 10; i++) {
      const cleared = await wx.post(
        "/cgi-bin/clear_quota",
        { appid: account.appid },
        { access_token: fresh },
      );
      expect(cleared).toStrictEqual({ errcode: 0, errmsg: "ok" });
    }
    const status = await wx.post(
      "/cgi-bin/openapi/quota/get",
      { cgi_path: "/cgi-bin/user/get" },
      { access_token: fresh },
    );
    expect(status.quota).toStrictEqual({ daily_limit: 3, used: 0, remain: 3 });
    const refused = await wx.post("/cgi-bin/clear_quota", { appid: account.appid }, { access_token: fresh });
    expect(refused.errcode).toBe(48006);
  });

  it("count user/info and batchget against one per-minute limit (45011)", async () => {
    const token = await wx.token(other);
    const [openid] = running.sim.followers(other.appid, { subscribed: true, limit: 1 }).openids as [string];
    await wx.admin("POST", "/__sim/clock", { advanceSeconds: 60 - (running.sim.clock.now() % 60) });
    expect((await wx.get("/cgi-bin/user/info", { access_token: token, openid })).errcode).toBeUndefined();
    const batch = { user_list: [{ openid }] };
    expect(
      (await wx.post("/cgi-bin/user/info/batchget", batch, { access_token: token })).errcode,
    ).toBeUndefined();
    expect((await wx.get("/cgi-bin/user/info", { access_token: token, openid })).errcode).toBe(45011);
    await wx.admin("POST", "/__sim/clock", { advanceSeconds: 60 });
    expect((await wx.get("/cgi-bin/user/info", { access_token: token, openid })).errcode).toBeUndefined();
  });
});

describe("account state", () => {
  it("refuses a caller outside the IP whitelist with 40164 naming the IP it saw", async () => {
    const token = await wx.token(other);
    await wx.admin("POST", "/__sim/config", { ipWhitelist: { [other.appid]: ["1.2.3.4"] } });
    const refused = await wx.get("/cgi-bin/token", {
      grant_type: "client_credential",
      appid: other.appid,
      secret: other.secret,
    });
    expect(refused.errcode).toBe(40164);
    expect(refused.errmsg).toMatch(
      /^invalid ip 127\.0\.0\.1 ipv6 ::ffff:127\.0\.0\.1, not in whitelist rid: [0-9a-f-]+$/,
    );
    expect((await userGet(token)).errcode).toBe(40164);
    await wx.admin("POST", "/__sim/config", { ipWhitelist: { [other.appid]: ["1.2.3.4", "127.0.0.1"] } });
    expect((await userGet(token)).errcode).toBeUndefined();
    await wx.admin("POST", "/__sim/config", { ipWhitelist: { [other.appid]: null } });
  });

  it("answers a frozen account with 50004 or the configured errcode, and a missing permission with 48001", async () => {
    const token = await wx.token(other);
    await wx.admin("POST", "/__sim/config", { blocked: { [other.appid]: true } });
    expect((await userGet(token)).errcode).toBe(50004);
    await wx.admin("POST", "/__sim/config", { blocked: { [other.appid]: 40243 } });
    expect((await userGet(token)).errcode).toBe(40243);
    await wx.admin("POST", "/__sim/config", { blocked: { [other.appid]: null } });
    await wx.admin("POST", "/__sim/config", { noPermission: { [other.appid]: ["/cgi-bin/tags/get"] } });
    expect((await wx.get("/cgi-bin/tags/get", { access_token: token })).errcode).toBe(48001);
    expect((await userGet(token)).errcode).toBeUndefined();
  });
});
