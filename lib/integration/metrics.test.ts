import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as metricsRoute } from "@/app/metrics/route";
import { POST as pushRoute } from "@/app/api/wechat/[appid]/route";
import { insertAccount } from "@/lib/accounts/store";
import { db, sqlite } from "@/lib/db";
import { startSimulator, type AccountInfo } from "@/lib/simulator";
import { enqueueSync } from "@/lib/sync/queue";

import { SyncWorker } from "@/lib/sync/worker";
import { addTestAccount, resetProcessCaches, useTempDatabase } from "@/lib/testing/temp-db";
import { pushSignature } from "@/lib/wechat/crypto";
import { WeChatError } from "@/lib/wechat/errors";
import { clientForAccount } from "@/lib/accounts/wechat-client";
import { Ledger } from "@/lib/wechat/ledger";
import { bearerMatches } from "@/lib/metrics/endpoint";
import { resetMetrics } from "@/lib/metrics/registry";
import { simAdmin } from "@/lib/simulator/testing";

const METRICS_TOKEN = "metrics-token-0123456789abcdef";
const PUSH_TOKEN = "pushToken123";
let sim: Awaited<ReturnType<typeof startSimulator>>;
let cleanup: () => void;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 7, accounts: 1, followers: [40] });
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => {
  cleanup = useTempDatabase();
  process.env.WECHAT_API_BASE = sim.url;
  process.env.METRICS_TOKEN = METRICS_TOKEN;
  resetProcessCaches();
  resetMetrics();
});
afterEach(() => {
  delete process.env.METRICS_TOKEN;
  resetMetrics();
  cleanup();
});

const scrapeRequest = (authorization?: string) =>
  new Request("http://localhost/metrics", { headers: authorization ? { authorization } : {} });

async function scrape(): Promise<string> {
  const response = await metricsRoute(scrapeRequest(`Bearer ${METRICS_TOKEN}`));
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one series in the text format, 0 when absent. */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3]);
  }
  return 0;
}

describe("/metrics", () => {
  it("is 404 while METRICS_TOKEN is unset, and 401 without the right bearer token", async () => {
    delete process.env.METRICS_TOKEN;
    resetProcessCaches();
    resetMetrics();
    expect((await metricsRoute(scrapeRequest(`Bearer ${METRICS_TOKEN}`))).status).toBe(404);

    process.env.METRICS_TOKEN = METRICS_TOKEN;
    resetProcessCaches();
    resetMetrics();
    for (const header of [
      undefined,
      "Bearer wrong-token",
      `Basic ${METRICS_TOKEN}`,
      `Bearer ${METRICS_TOKEN}x`,
    ]) {
      const refused = await metricsRoute(scrapeRequest(header));
      expect(refused.status).toBe(401);
      expect(await refused.text()).not.toContain("unionview_");
    }
    const text = await scrape();
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("# TYPE unionview_push_reply_seconds histogram");
    expect(bearerMatches(`bearer ${METRICS_TOKEN}`, METRICS_TOKEN)).toBe(true);
  });

  it("counts a sync: runs by kind and status, its duration, WeChat calls, followers and people", async () => {
    const [account] = await simAdmin<AccountInfo[]>(sim.url, "/__sim/accounts");
    const accountId = insertAccount({
      name: "A",
      appid: account!.appid,
      originalId: account!.originalId,
      boundToOpenPlatform: true,
      appsecret: account!.secret,
    });
    const before = await scrape();
    const done = { kind: "full", status: "done" };
    expect(value(before, "unionview_sync_runs", done)).toBe(0);
    expect(value(before, "unionview_followers", { appid: account!.appid })).toBe(0);

    enqueueSync(sqlite(), { accountId, kind: "full", triggeredBy: "test" });
    expect(value(await scrape(), "unionview_job_queue_depth", { queue: "sync", status: "queued" })).toBe(1);
    const worker = new SyncWorker({
      sqlite: sqlite(),
      clientFor: (id, shared) => clientForAccount(id, shared),
    });
    await worker.drain();

    const after = await scrape();
    expect(value(after, "unionview_sync_runs", done)).toBe(1);
    expect(value(after, "unionview_sync_run_duration_seconds_count", done)).toBe(1);
    expect(value(after, "unionview_job_queue_depth", { queue: "sync", status: "queued" })).toBe(0);
    const userGet = value(after, "unionview_wechat_calls_total", {
      appid: account!.appid,
      endpoint: "/cgi-bin/user/get",
    });
    expect(userGet).toBeGreaterThan(0);
    const followers = sqlite().prepare("SELECT COUNT(*) FROM followers WHERE subscribed = 1").pluck().get();
    expect(value(after, "unionview_followers", { appid: account!.appid })).toBe(followers);
    expect(value(after, "unionview_people")).toBeGreaterThan(0);

    // An errcode answer is counted by account, endpoint and errcode (the ledger every process writes).
    new Ledger(db(), account!.appid).record(
      "/cgi-bin/user/info/batchget",
      new WeChatError({
        errcode: 45009,
        errmsg: "reach max api daily quota limit",
        path: "/cgi-bin/user/info/batchget",
      }),
    );
    const errors = await scrape();
    expect(
      value(errors, "unionview_wechat_errors_total", {
        appid: account!.appid,
        endpoint: "/cgi-bin/user/info/batchget",
        errcode: "45009",
      }),
    ).toBe(1);
  }, 60_000);

  it("counts pushes received, applied, duplicated and refused by reason, and times the replies", async () => {
    const appid = "wx00000000000000a1";
    addTestAccount(appid, PUSH_TOKEN);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const query = new URLSearchParams({
      signature: pushSignature(PUSH_TOKEN, timestamp, "9"),
      timestamp,
      nonce: "9",
    });
    const body = `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content></xml>`;
    const post = (q: URLSearchParams, id = appid) =>
      pushRoute(new Request(`http://localhost/api/wechat/${id}?${q}`, { method: "POST", body }), {
        params: Promise.resolve({ appid: id }),
      });

    const before = await scrape();
    expect((await post(query)).status).toBe(200);
    expect((await post(query)).status).toBe(200); // WeChat's retry of the same message
    const forged = new URLSearchParams(query);
    forged.set("signature", "0".repeat(40));
    expect((await post(forged)).status).toBe(403);
    expect((await post(query, "wx00000000000000ff")).status).toBe(404);

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      value(after, name, labels) - value(before, name, labels);
    expect(delta("unionview_push_requests_received_total", { appid })).toBe(3);
    expect(delta("unionview_push_events_applied_total", { appid })).toBe(1);
    expect(delta("unionview_push_events_duplicate_total", { appid })).toBe(1);
    expect(delta("unionview_push_requests_refused_total", { reason: "signature", status: "403" })).toBe(1);
    expect(delta("unionview_push_requests_refused_total", { reason: "unknown-account", status: "404" })).toBe(
      1,
    );
    expect(delta("unionview_push_reply_seconds_count", { outcome: "success" })).toBe(2);
    expect(delta("unionview_push_reply_seconds_count", { outcome: "refused" })).toBe(2);
  });
});
