import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { GET as metricsRoute } from "@/app/metrics/route";
import { POST as pushRoute } from "@/app/api/wechat/[appid]/route";
import { insertAccount } from "@/lib/accounts/store";
import { sqlite } from "@/lib/db";
import { resetMetrics } from "@/lib/metrics/registry";
import { startSimulator, type AccountInfo } from "@/lib/simulator";
import { enqueueSync } from "@/lib/sync/queue";
import { startWorker } from "@/lib/sync/start-worker";

import { resetProcessCaches, useTempDatabase } from "@/lib/testing/temp-db";
import { pushSignature } from "@/lib/wechat/crypto";
import { childLogger, logger, setLogTarget } from "@/lib/log";
import { simAdmin } from "@/lib/simulator/testing";

const METRICS_TOKEN = "metrics-token-secret-value-0123";
const PUSH_TOKEN = "pushTokenSecretValue42";
const AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const WRONG_SECRET = "wrongAppSecretValue0123456789abc";

let sim: Awaited<ReturnType<typeof startSimulator>>;
let cleanup: () => void;
const lines: string[] = [];
let restore: () => void;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11, accounts: 1, followers: [30] });
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => {
  cleanup = useTempDatabase();
  Object.assign(process.env, {
    WECHAT_API_BASE: sim.url,
    METRICS_TOKEN,
    LOG_FORMAT: "json",
    LOG_LEVEL: "debug",
  });
  resetProcessCaches();
  resetMetrics();
  restore = setLogTarget({ write: (line) => lines.push(line) });
});
afterEach(() => {
  restore();
  delete process.env.METRICS_TOKEN;
  delete process.env.LOG_FORMAT;
  delete process.env.LOG_LEVEL;
  resetMetrics();
  cleanup();
});

it("no secret, key, password or token value appears in the lines of syncs, pushes, scrapes and logged objects", async () => {
  const [account] = await simAdmin<AccountInfo[]>(sim.url, "/__sim/accounts");
  const good = insertAccount({
    name: "A",
    appid: account!.appid,
    originalId: account!.originalId,
    boundToOpenPlatform: true,
    appsecret: account!.secret,
    pushToken: PUSH_TOKEN,
    aesKey: AES_KEY,
  });
  // Same AppID's secret wrong: its sync fails with WeChat's credential error, which is logged.
  const bad = insertAccount({
    name: "B",
    appid: "wx00000000000000b2",
    originalId: "gh_0123456789ab",
    boundToOpenPlatform: true,
    appsecret: WRONG_SECRET,
  });

  // A sync through the server's own worker (start-worker's logger): lines with run id and appid.
  const worker = startWorker();
  enqueueSync(sqlite(), { accountId: good, kind: "full", triggeredBy: "test" });
  enqueueSync(sqlite(), { accountId: bad, kind: "full", triggeredBy: "test" });
  await worker.drain();
  await worker.stop();
  delete (globalThis as { __unionviewWorker?: unknown }).__unionviewWorker;

  // A refused push whose query carries signatures made with the push token.
  const timestamp = String(Math.floor(Date.now() / 1000));
  const query = new URLSearchParams({
    signature: pushSignature("another token", timestamp, "1"),
    timestamp,
    nonce: "1",
    msg_signature: pushSignature(PUSH_TOKEN, timestamp, "1"),
  });
  const push = await pushRoute(
    new Request(`http://localhost/api/wechat/${account!.appid}?${query}`, {
      method: "POST",
      body: "<xml><Encrypt>x</Encrypt></xml>",
      headers: { "x-request-id": "req-42", cookie: `authjs.session-token=${WRONG_SECRET}` },
    }),
    { params: Promise.resolve({ appid: account!.appid }) },
  );
  expect(push.status).toBe(403);

  // A scrape with a wrong token, then one carrying the right one.
  expect(
    (
      await metricsRoute(
        new Request("http://localhost/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}0` } }),
      )
    ).status,
  ).toBe(401);

  // Objects that carry secrets, logged the way a careless caller would.
  childLogger({ appid: account!.appid }).info(
    {
      account: { appsecret: account!.secret, pushToken: PUSH_TOKEN, aesKey: AES_KEY, push_token: PUSH_TOKEN },
      request: { headers: { authorization: `Bearer ${METRICS_TOKEN}`, cookie: `s=${WRONG_SECRET}` } },
      env: { AUTH_SECRET: process.env.AUTH_SECRET, UNIONVIEW_SECRET_KEY: process.env.UNIONVIEW_SECRET_KEY },
      password: WRONG_SECRET,
      token: PUSH_TOKEN,
    },
    "account edited",
  );
  logger().debug({ user: { email: "a@b.c", passwordHash: "$2b$10$hashvalue" } }, "signed in");

  const text = lines.join("");
  const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  // The lines are there, with their context…
  expect(
    entries.some(
      (e) => e.msg === "sync run done" && typeof e.runId === "number" && e.appid === account!.appid,
    ),
  ).toBe(true);
  expect(entries.some((e) => e.msg === "sync run failed" && e.appid === "wx00000000000000b2")).toBe(true);
  expect(
    entries.some(
      (e) =>
        String(e.msg).startsWith(`push ${account!.appid}: 403`) &&
        e.requestId === "req-42" &&
        e.appid === account!.appid,
    ),
  ).toBe(true);
  expect(entries.some((e) => e.msg === "account edited" && JSON.stringify(e).includes("[redacted]"))).toBe(
    true,
  );
  // …and no secret value is in any of them.
  for (const secret of [
    account!.secret,
    WRONG_SECRET,
    PUSH_TOKEN,
    AES_KEY,
    METRICS_TOKEN,
    process.env.AUTH_SECRET!,
    process.env.UNIONVIEW_SECRET_KEY!,
    "$2b$10$hashvalue",
    query.get("msg_signature")!,
  ])
    expect(text).not.toContain(secret);
  expect(text).not.toMatch(/access_token=/);
}, 60_000);
