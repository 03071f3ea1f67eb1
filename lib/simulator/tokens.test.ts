import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "./index";
import type { AccountInfo } from "./simulator";
import { wxClient, type WxTestClient } from "./testing";

let running: RunningSimulator;
let wx: WxTestClient;
let account: AccountInfo;

beforeAll(async () => {
  running = await startSimulator({ seed: 7, accounts: 2, followers: 50 });
  wx = wxClient(running.url);
  account = running.sim.accounts()[0]!;
});
afterAll(() => running.close());

const credentials = () => ({ grant_type: "client_credential", appid: account.appid, secret: account.secret });
const userGet = (token: string) => wx.get("/cgi-bin/user/get", { access_token: token });

describe("errors", () => {
  it("are HTTP 200 JSON with an errcode and an errmsg ending in a changing rid", async () => {
    const response = await fetch(`${running.url}/cgi-bin/user/get?access_token=86_${"x".repeat(40)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const first = (await response.json()) as { errcode: number; errmsg: string };
    const second = await userGet(`86_${"x".repeat(40)}`);
    expect(first.errcode).toBe(40001);
    expect(first.errmsg).toMatch(/ rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(second.errmsg).not.toBe(first.errmsg);
  });

  it("answer an unknown path with a plain-text 404, like a gateway", async () => {
    const response = await fetch(`${running.url}/cgi-bin/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("text/plain");
  });

  it("answer malformed and empty JSON bodies with 47001 and 44002", async () => {
    const token = await wx.token(account);
    const bad = await wx.postRaw("/cgi-bin/user/info/batchget", "{user_list:", { access_token: token });
    expect(bad.errcode).toBe(47001);
    const empty = await wx.postRaw("/cgi-bin/user/info/batchget", "", { access_token: token });
    expect(empty.errcode).toBe(44002);
  });
});

describe("credentials", () => {
  it("refuse an unknown appid (40013), a wrong secret (40125) and a bad grant_type (40002)", async () => {
    const unknown = await wx.get("/cgi-bin/token", { ...credentials(), appid: "wx0000000000000000" });
    expect(unknown.errcode).toBe(40013);
    const wrong = await wx.get("/cgi-bin/token", { ...credentials(), secret: "0".repeat(32) });
    expect(wrong.errcode).toBe(40125);
    const grant = await wx.get("/cgi-bin/token", { ...credentials(), grant_type: "password" });
    expect(grant.errcode).toBe(40002);
    const stable = await wx.post("/cgi-bin/stable_token", { ...credentials(), secret: "nope" });
    expect(stable.errcode).toBe(40125);
  });

  it("tell a malformed token (40014) from an unknown one (40001)", async () => {
    expect((await userGet("not a token")).errcode).toBe(40014);
    expect((await userGet(`86_${"A".repeat(130)}`)).errcode).toBe(40001);
    expect((await wx.get("/cgi-bin/user/get")).errcode).toBe(40001);
  });
});

describe("token rotation", () => {
  it("keeps the previous token working for the overlap, then answers 40001", async () => {
    const first = await wx.get("/cgi-bin/token", credentials());
    expect(first.expires_in).toBe(7200);
    const old = first.access_token as string;
    const fresh = await wx.token(account);
    expect(fresh).not.toBe(old);
    expect((await userGet(old)).errcode).toBeUndefined();
    await wx.admin("POST", "/__sim/clock", { advanceSeconds: 299 });
    expect((await userGet(old)).errcode).toBeUndefined();
    await wx.admin("POST", "/__sim/clock", { advanceSeconds: 2 });
    expect((await userGet(old)).errcode).toBe(40001);
    expect((await userGet(fresh)).errcode).toBeUndefined();
  });

  it("answers 42001 once a token outlives expires_in", async () => {
    const token = await wx.token(account);
    await wx.admin("POST", "/__sim/clock", { advanceSeconds: 7201 });
    expect((await userGet(token)).errcode).toBe(42001);
  });

  it("stable_token returns the same token until 5 minutes remain, then a new one", async () => {
    const a = await wx.post("/cgi-bin/stable_token", { ...credentials(), force_refresh: false });
    const b = await wx.post("/cgi-bin/stable_token", credentials());
    expect(b.access_token).toBe(a.access_token);
    expect(b.expires_in as number).toBeLessThanOrEqual(7200);
    await wx.admin("POST", "/__sim/clock", { advanceSeconds: 7200 - 299 });
    const c = await wx.post("/cgi-bin/stable_token", credentials());
    expect(c.access_token).not.toBe(a.access_token);
    expect(c.expires_in).toBe(7200);
    // The old one still works until its own expiry.
    expect((await userGet(a.access_token as string)).errcode).toBeUndefined();
  });

  it("stable_token force_refresh issues a new token, at most once per 30 s", async () => {
    const a = await wx.post("/cgi-bin/stable_token", credentials());
    await wx.admin("POST", "/__sim/clock", { advanceSeconds: 31 });
    const b = await wx.post("/cgi-bin/stable_token", { ...credentials(), force_refresh: true });
    expect(b.access_token).not.toBe(a.access_token);
    const c = await wx.post("/cgi-bin/stable_token", { ...credentials(), force_refresh: true });
    expect(c.errcode).toBe(45011);
  });

  it("counts issued tokens per appid in /__sim/stats", async () => {
    await wx.admin("DELETE", "/__sim/stats");
    await wx.token(account);
    await wx.token(account);
    const stats = await wx.admin<{ tokensIssued: Record<string, { token: number; total: number }> }>(
      "GET",
      "/__sim/stats",
    );
    expect(stats.tokensIssued[account.appid]).toMatchObject({ token: 2, total: 2 });
  });
});

describe("tokenOverlapSeconds: 0", () => {
  it("accepts only the newest token of a chain", async () => {
    const strict = await startSimulator({ seed: 8, accounts: 1, followers: 5, tokenOverlapSeconds: 0 });
    try {
      const client = wxClient(strict.url);
      const only = strict.sim.accounts()[0]!;
      const first = await client.token(only);
      const second = await client.token(only);
      const get = (token: string) => client.get("/cgi-bin/user/get", { access_token: token });
      expect((await get(first)).errcode).toBe(40001);
      expect((await get(second)).errcode).toBeUndefined();
      // The stable chain is separate: it neither replaces nor is replaced by /cgi-bin/token.
      const stable = await client.post("/cgi-bin/stable_token", {
        grant_type: "client_credential",
        appid: only.appid,
        secret: only.secret,
      });
      expect((await get(second)).errcode).toBeUndefined();
      expect((await get(stable.access_token as string)).errcode).toBeUndefined();
    } finally {
      await strict.close();
    }
  });
});
