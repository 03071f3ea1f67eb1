/**
 * The identity API and webhook delivery at scale: figures only, no thresholds enforced.
 *
 *   npm run bench:api                    # the people bench's 10,000,000 follower rows
 *   npm run bench:api -- --rows 1000000  # a smaller audience (or --quick: 1,000,000)
 *   npm run bench:api -- --db FILE       # seed FILE once and reuse it (shared with bench:people)
 *
 * The /api/v1 route handlers are served over HTTP by node:http in this process (not through Next's
 * router) and called with a keep-alive client: p95 of one identity lookup and of a batch resolve of
 * 1,000, requests/s at 8 in flight, each against a baseline handler that answers `{}` through the same
 * stack in the same run. Webhooks: 10,000 person.unfollowed events written by the follower write model
 * in batches of 500 (as a sync would), delivered by the worker to a local receiver: events/s against a
 * baseline of plain POSTs of the same bodies at the same concurrency, and the lag from commit to
 * receipt (p50/p99). The key's rate limit is lifted for the bench. Last line: one JSON object.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { benchDatabase } from "./people/bench-database";
import { percentile } from "./timing";

const RUNS = 2000;
const EVENTS = 10_000;

Object.assign(process.env, {
  AUTH_SECRET: randomBytes(32).toString("base64"),
  UNIONVIEW_SECRET_KEY: process.env.UNIONVIEW_SECRET_KEY ?? randomBytes(32).toString("base64"),
  UNIONVIEW_API_RATE: "1000000000",
  UNIONVIEW_API_BURST: "1000000000",
  UNIONVIEW_WEBHOOK_ALLOW_PRIVATE: "1",
  LOG_LEVEL: "error",
});

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response> | Response;

/** node:http → a Web Request → the route handler → back (what Next does around a route handler). */
function serve(routes: { match: RegExp; method: string; handler: Handler; names: string[] }[]) {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://bench");
    for (const route of routes) {
      const m = route.match.exec(url.pathname);
      if (!m || req.method !== route.method) continue;
      const request = new Request(url, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      const response = await route.handler(request, { params: Promise.resolve(params) });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise<{ url: string; close: () => void }>((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => {
          server.closeAllConnections();
          server.close();
        },
      }),
    ),
  );
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
function call(url: string, method: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function latency(runs: number, fn: (i: number) => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

async function throughput(seconds: number, inFlight: number, fn: (i: number) => Promise<unknown>) {
  let done = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) await fn(done++);
    }),
  );
  return done / seconds;
}

async function main() {
  const { file, cleanup } = benchDatabase("people");
  process.env.DATABASE_URL = file;
  const { sqlite } = await import("@/lib/db");
  const { createApiKey } = await import("@/lib/apikeys/keys");
  const identity = await import("@/app/api/v1/identities/[appid]/[openid]/route");
  const resolve = await import("@/app/api/v1/identities/resolve/route");
  const { apiRoute, json } = await import("@/lib/apiv1/handler");
  const db = sqlite();
  const followers = db.prepare("SELECT max(rowid) FROM followers").pluck().get() as number;
  const accounts = db.prepare("SELECT id, appid, slot FROM accounts ORDER BY slot").all() as {
    id: string;
    appid: string;
    slot: number;
  }[];
  const appidOf = new Map(accounts.map((a) => [a.id, a.appid]));

  // Inputs drawn at random from the data before any timing (rowids of followers, no scan).
  let s = 11;
  const rand = () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const byRowid = db.prepare(
    "SELECT account_id AS accountId, openid FROM followers WHERE rowid >= ? LIMIT 1",
  );
  const sample = (n: number) =>
    Array.from({ length: n }, () => {
      const row = byRowid.get(1 + Math.floor(rand() * followers)) as { accountId: string; openid: string };
      return { appid: appidOf.get(row.accountId)!, openid: row.openid };
    });
  const singles = sample(RUNS);
  const batches = Array.from({ length: 50 }, () => JSON.stringify({ openids: sample(1000) }));

  const key = createApiKey({ name: "bench", scopes: ["identities:read"] }, null).key;
  const baselineHandler = apiRoute("identities:read", () => json({}));
  const server = await serve([
    { match: /^\/api\/v1\/baseline$/, method: "GET", handler: baselineHandler as Handler, names: [] },
    {
      match: /^\/api\/v1\/identities\/([^/]+)\/([^/]+)$/,
      method: "GET",
      handler: identity.GET as Handler,
      names: ["appid", "openid"],
    },
    {
      match: /^\/api\/v1\/identities\/resolve$/,
      method: "POST",
      handler: resolve.POST as Handler,
      names: [],
    },
  ]);
  const auth = { authorization: `Bearer ${key}` };
  const lookup = async (i: number) => {
    const { appid, openid } = singles[i % singles.length]!;
    const r = await call(`${server.url}/api/v1/identities/${appid}/${openid}`, "GET", auth);
    if (r.status !== 200) throw new Error(`lookup answered ${r.status}: ${r.text}`);
  };
  const baseline = () => call(`${server.url}/api/v1/baseline`, "GET", auth);
  const batch = async (i: number) => {
    const r = await call(
      `${server.url}/api/v1/identities/resolve`,
      "POST",
      { ...auth, "content-type": "application/json" },
      batches[i % batches.length],
    );
    if (r.status !== 200) throw new Error(`resolve answered ${r.status}: ${r.text.slice(0, 200)}`);
  };

  await latency(200, lookup); // warm-up
  const baseLatency = await latency(RUNS, baseline);
  const single = await latency(RUNS, lookup);
  const baseRps = await throughput(3, 8, baseline);
  const singleRps = await throughput(3, 8, lookup);
  const resolved = await latency(100, batch);
  server.close();

  // Webhooks: a receiver, an endpoint, 10,000 events committed as a sync would commit them.
  const { createWebhook, openWebhookSecret } = await import("@/lib/webhooks/endpoints");
  const { WebhookDelivery } = await import("@/lib/webhooks/delivery");
  const { FollowerWriter } = await import("@/lib/followers/writer");
  const received = new Map<string, number>();
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const id = String(req.headers["webhook-id"]);
      if (!received.has(id)) received.set(id, Date.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  // Baseline: the same number of plain POSTs of an event-sized body, 16 in flight, as the worker sends.
  const sampleBody = JSON.stringify({
    id: "msg_" + "0".repeat(32),
    type: "person.unfollowed",
    createdAt: new Date().toISOString(),
    data: {
      appid: accounts[0]!.appid,
      openid: singles[0]!.openid,
      unionid: null,
      personId: 1,
      subscribed: false,
      subscribeTime: null,
    },
  });
  const baseStart = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (sent < EVENTS) {
        const n = sent++;
        await call(
          hookUrl,
          "POST",
          { "content-type": "application/json", "webhook-id": `base_${n}` },
          sampleBody,
        );
      }
    }),
  );
  const basePostsPerSecond = EVENTS / ((performance.now() - baseStart) / 1000);
  received.clear();

  const created = await createWebhook({ url: hookUrl, events: ["person.unfollowed"] }, null);
  if (!created.ok) throw new Error(created.reason);
  const account = accounts[0]!;
  db.prepare(
    "INSERT INTO account_counts (account_id, last_sync_at) VALUES (?, ?) ON CONFLICT (account_id) DO UPDATE SET last_sync_at = coalesce(last_sync_at, excluded.last_sync_at)",
  ).run(account.id, Date.now());
  const targets = db
    .prepare("SELECT openid FROM followers WHERE account_id = ? AND subscribed = 1 AND rowid >= ? LIMIT ?")
    .pluck()
    .all(account.id, Math.floor(rand() * followers * 0.1), EVENTS) as string[];
  const delivery = new WebhookDelivery({ sqlite: db, openSecret: openWebhookSecret, allowPrivate: true });
  const counts = { newFollowers: 0, returned: 0, updated: 0, unfollowed: 0 };
  const writer = new FollowerWriter(db, { id: account.id, slot: account.slot, bound: true }, Date.now);
  // The burst is committed first (as one sync's batches would be, 500 per transaction), then the worker
  // delivers it: the writes are disk-bound on a big database and would otherwise stall the same thread.
  const committedAt = new Map<string, number>();
  const msgIds = db.prepare("SELECT msg_id FROM outbox WHERE id > ?").pluck();
  let lastOutbox = db.prepare("SELECT coalesce(max(id), 0) FROM outbox").pluck().get() as number;
  const writeStart = performance.now();
  for (let i = 0; i < targets.length; i += 500) {
    db.transaction(() => {
      writer.markUnfollowed(targets.slice(i, i + 500), counts);
      writer.flush();
    })();
    const at = Date.now();
    for (const id of msgIds.all(lastOutbox) as string[]) committedAt.set(id, at);
    lastOutbox = db.prepare("SELECT max(id) FROM outbox").pluck().get() as number;
  }
  const writeSeconds = (performance.now() - writeStart) / 1000;
  const started = performance.now();
  delivery.start();
  while (received.size < committedAt.size) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - started) / 1000;
  await delivery.stop();
  receiver.close();
  const lags = [...committedAt].map(([id, at]) => received.get(id)! - at).sort((a, b) => a - b);
  const eventsPerSecond = committedAt.size / seconds;
  cleanup();

  const f = (n: number) => n.toFixed(2);
  console.log(`\n${followers.toLocaleString()} follower rows (${file})`);
  console.log(`                                  p50 ms   p95 ms   req/s   × baseline`);
  console.log(
    `baseline handler ({})             ${f(baseLatency.p50).padStart(6)}   ${f(baseLatency.p95).padStart(6)}   ${baseRps.toFixed(0).padStart(5)}`,
  );
  console.log(
    `identity lookup                   ${f(single.p50).padStart(6)}   ${f(single.p95).padStart(6)}   ${singleRps.toFixed(0).padStart(5)}   p95 ${f(single.p95 / baseLatency.p95)}, req/s ${f(singleRps / baseRps)}`,
  );
  console.log(
    `resolve 1,000 openids             ${f(resolved.p50).padStart(6)}   ${f(resolved.p95).padStart(6)}            p95 ${f(resolved.p95 / baseLatency.p95)}`,
  );
  console.log(
    `\nwebhooks: ${committedAt.size.toLocaleString()} events committed in ${writeSeconds.toFixed(1)} s (500 per transaction), delivered in ${seconds.toFixed(1)} s = ${eventsPerSecond.toFixed(0)} events/s (plain POSTs: ${basePostsPerSecond.toFixed(0)}/s, ratio ${f(eventsPerSecond / basePostsPerSecond)}); lag commit→receipt (a burst: includes the queue) p50 ${percentile(lags, 50)} ms, p99 ${percentile(lags, 99)} ms`,
  );
  console.log(
    JSON.stringify({
      followers,
      lookupP95Ms: +f(single.p95),
      lookupRps: Math.round(singleRps),
      lookupP95VsBaseline: +f(single.p95 / baseLatency.p95),
      lookupRpsVsBaseline: +f(singleRps / baseRps),
      resolve1000P95Ms: +f(resolved.p95),
      resolve1000P95VsBaseline: +f(resolved.p95 / baseLatency.p95),
      webhookEvents: committedAt.size,
      webhookEventsPerSecond: Math.round(eventsPerSecond),
      webhookCommitSeconds: +f(writeSeconds),
      webhookVsPlainPosts: +f(eventsPerSecond / basePostsPerSecond),
      webhookLagP50Ms: percentile(lags, 50),
      webhookLagP99Ms: percentile(lags, 99),
    }),
  );
  process.exit(0);
}

void main();
