import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "./index";
import type { AccountInfo } from "./simulator";
import type { StatsSnapshot } from "./stats";
import { wxClient, type WxTestClient } from "./testing";

let running: RunningSimulator;
let wx: WxTestClient;
let account: AccountInfo;
let token: string;

beforeAll(async () => {
  running = await startSimulator({ seed: 9, accounts: 1, followers: 30 });
  wx = wxClient(running.url);
  account = running.sim.accounts()[0]!;
  token = await wx.token(account);
});
afterAll(() => running.close());
afterEach(() => wx.admin("DELETE", "/__sim/faults"));

const userGetUrl = () => `${running.url}/cgi-bin/user/get?access_token=${token}`;
const userGet = () => wx.get("/cgi-bin/user/get", { access_token: token });

describe("faults", () => {
  it("answer an errcode at the Nth call only", async () => {
    await wx.admin("POST", "/__sim/faults", { path: "/cgi-bin/user/get", errcode: -1, atCall: 2 });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await userGet()).errcode);
    expect(codes).toStrictEqual([undefined, -1, undefined, undefined]);
  });

  it("fire every Nth call, at most `times` times", async () => {
    await wx.admin("POST", "/__sim/faults", { path: "*", errcode: 45011, everyNth: 2, times: 2 });
    const codes = [];
    for (let i = 0; i < 8; i++) codes.push((await userGet()).errcode);
    expect(codes).toStrictEqual([
      undefined,
      45011,
      undefined,
      45011,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("fire at rate 1 on every call and at rate 0 never", async () => {
    await wx.admin("POST", "/__sim/faults", { path: "/cgi-bin/user/get", errcode: -1, rate: 0 });
    expect((await userGet()).errcode).toBeUndefined();
    await wx.admin("POST", "/__sim/faults", { path: "/cgi-bin/user/get", errcode: -1, rate: 1 });
    expect((await userGet()).errcode).toBe(-1);
  });

  it("drop the connection", async () => {
    await wx.admin("POST", "/__sim/faults", { path: "/cgi-bin/user/get", drop: true, times: 1 });
    await expect(fetch(userGetUrl())).rejects.toThrow();
    expect((await userGet()).errcode).toBeUndefined();
  });

  it("answer an HTML 502 page", async () => {
    await wx.admin("POST", "/__sim/faults", { path: "/cgi-bin/user/get", html: true });
    const response = await fetch(userGetUrl());
    expect(response.status).toBe(502);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("<h1>502 Bad Gateway</h1>");
  });

  it("answer malformed JSON with status 200", async () => {
    await wx.admin("POST", "/__sim/faults", { path: "/cgi-bin/token", badJson: true });
    const response = await fetch(
      `${running.url}/cgi-bin/token?grant_type=client_credential&appid=${account.appid}&secret=${account.secret}`,
    );
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
  });

  it("add latency and still answer", async () => {
    await wx.admin("POST", "/__sim/faults", { path: "/cgi-bin/user/get", latencyMs: 30 });
    expect((await userGet()).total).toBe(30);
  });

  it("can be limited to one account and are listed, then cleared", async () => {
    await wx.admin("POST", "/__sim/faults", { path: "*", appid: "wx_someone_else", errcode: -1 });
    expect((await userGet()).errcode).toBeUndefined();
    const listed = await wx.admin<unknown[]>("GET", "/__sim/faults");
    expect(listed).toHaveLength(1);
    await wx.admin("DELETE", "/__sim/faults");
    expect(await wx.admin<unknown[]>("GET", "/__sim/faults")).toHaveLength(0);
  });

  it("show up in /__sim/stats per appid and path", async () => {
    await wx.admin("DELETE", "/__sim/stats");
    await wx.admin("POST", "/__sim/faults", { path: "/cgi-bin/user/get", errcode: 45009, atCall: 1 });
    await userGet();
    await userGet();
    await wx.admin("POST", "/__sim/faults", { path: "/cgi-bin/user/get", html: true, times: 1 });
    await fetch(userGetUrl());
    const stats = await wx.admin<StatsSnapshot>("GET", "/__sim/stats");
    expect(stats.calls[account.appid]?.["/cgi-bin/user/get"]).toStrictEqual({
      calls: 3,
      errors: 1,
      errcodes: { "45009": 1 },
      faults: 1,
    });
  });
});

describe("the admin API", () => {
  it("answers bad input with HTTP 400 and a message, and keeps serving", async () => {
    const post = (path: string, body: string) => fetch(`${running.url}${path}`, { method: "POST", body });
    for (const [path, body] of [
      ["/__sim/faults", "{not json"],
      ["/__sim/faults", JSON.stringify({ path: "/cgi-bin/user/get" })],
      ["/__sim/faults", JSON.stringify({ path: "/x", errcode: -1, rate: 3 })],
      ["/__sim/follow", JSON.stringify({ appid: "wx_nobody", count: 1 })],
      ["/__sim/unfollow", JSON.stringify({ appid: account.appid, openids: ["nope"] })],
      ["/__sim/clock", JSON.stringify({ advanceSeconds: -5 })],
      ["/__sim/config", JSON.stringify({ quotas: { "/cgi-bin/user/get": "many" } })],
      ["/__sim/push", JSON.stringify({ appid: account.appid, url: "not a url", event: "subscribe" })],
      ["/__sim/churn", "[]"],
    ] as const) {
      const response = await post(path, body);
      expect(response.status, `${path} ${body}`).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBeTruthy();
    }
    expect((await fetch(`${running.url}/__sim/nope`)).status).toBe(404);
    expect((await fetch(`${running.url}/__sim/truth`, { method: "DELETE" })).status).toBe(405);
    expect((await userGet()).total).toBe(30);
  });
});
