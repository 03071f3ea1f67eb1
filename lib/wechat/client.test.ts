import { spawn } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "@/lib/simulator";
import { WeChatError } from "./errors";
import { testClient, type SimAccount } from "./testing";
import { tempDatabase } from "@/lib/testing/temp-db";

type Sim = Awaited<ReturnType<typeof startSimulator>>;

let sim: Sim;
let accounts: SimAccount[];
let database: ReturnType<typeof tempDatabase>;

async function admin(path: string, body?: unknown, method = body === undefined ? "GET" : "POST") {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json() as Promise<unknown>;
}

async function failure(promise: Promise<unknown>): Promise<WeChatError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WeChatError);
    return error as WeChatError;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 3, accounts: 3, followers: 1200, unbound: 1 });
  accounts = (await admin("/__sim/accounts")) as SimAccount[];
});
afterAll(() => sim.close());

afterEach(async () => {
  await admin("/__sim/faults", undefined, "DELETE");
  database?.cleanup();
});

function client(index = 0, options: Parameters<typeof testClient>[3] = {}) {
  database = tempDatabase();
  return testClient(database.db, sim.url, accounts[index]!, options);
}

describe("WeChat client against the simulator", () => {
  it("connects, fetches one shared token and reads the quota", async () => {
    const c = client();
    const result = await c.testConnection();
    expect(result).toMatchObject({ ok: true, quota: { daily_limit: 500 } });
    const usage = database.sqlite.prepare("SELECT path, calls FROM api_usage ORDER BY path").all();
    expect(usage).toEqual([
      { path: "/cgi-bin/openapi/quota/get", calls: 1 },
      { path: "/cgi-bin/stable_token", calls: 2 },
    ]);
  });

  it("reports a wrong secret and a wrong appid as bad credentials", async () => {
    const wrongSecret = await failure(
      testClient(tempDatabase().db, sim.url, { ...accounts[0]!, secret: "0".repeat(32) }).tags(),
    );
    expect(wrongSecret).toMatchObject({ errcode: 40125, category: "bad-credentials" });
    const wrongAppid = await failure(
      testClient(tempDatabase().db, sim.url, { appid: "wx0000000000000000", secret: "0".repeat(32) }).tags(),
    );
    expect(wrongAppid).toMatchObject({ errcode: 40013, category: "bad-credentials" });
  });

  it("leaves a stored account's health alone when told to (a rejected replacement secret)", async () => {
    database = tempDatabase();
    const account = accounts[0]!;
    database.sqlite
      .prepare(
        "INSERT INTO accounts (id, name, appid, original_id, slot, appsecret_sealed) VALUES ('a1', 'A', ?, 'gh_1', 0, 'x')",
      )
      .run(account.appid);
    const health = () =>
      database.sqlite.prepare("SELECT last_error_at, last_error_code FROM accounts WHERE id = 'a1'").get();
    const candidate = { ...account, secret: "0".repeat(32) };

    const quiet = testClient(database.db, sim.url, candidate, { recordHealth: false });
    expect(await quiet.testConnection()).toMatchObject({ ok: false, error: { errcode: 40125 } });
    expect(health()).toEqual({ last_error_at: null, last_error_code: null });

    await testClient(database.db, sim.url, candidate).testConnection();
    expect(health()).toMatchObject({ last_error_code: 40125 });
  });

  it("pages through every follower, ending on the short page", async () => {
    const c = client();
    const seen: string[] = [];
    for await (const page of c.allFollowers()) seen.push(...page.openids);
    expect(new Set(seen).size).toBe(seen.length);
    const truth = (await admin("/__sim/truth")) as { accounts: { appid: string; subscribed: number }[] };
    expect(seen.length).toBe(truth.accounts.find((a) => a.appid === accounts[0]!.appid)!.subscribed);
  });

  it("isolates one bad openid among 1000 and returns everyone else", async () => {
    const c = client();
    const page = await c.followers();
    const openids = page.data!.openid.slice(0, 999);
    const bad = "o_not_a_real_openid_at_all_x";
    openids.splice(500, 0, bad);
    const { users, rejected } = await c.batchGet(openids);
    expect(rejected).toEqual([bad]);
    expect(users.map((u) => u.openid).sort()).toEqual(openids.filter((o) => o !== bad).sort());
    expect(users.every((u) => u.subscribe === 1 && typeof u.subscribe_time === "number")).toBe(true);
  });

  it("gets no unionid from an account that is not bound to the Open Platform", async () => {
    const unboundIndex = accounts.findIndex((a) => !a.bound);
    const c = client(unboundIndex);
    const page = await c.followers();
    const { users } = await c.batchGet(page.data!.openid.slice(0, 100));
    expect(users.some((u) => u.unionid)).toBe(false);
  });

  it("retries system-busy, per-minute limits, dropped connections and HTML pages", async () => {
    const c = client();
    await c.tags(); // token first, so the faults hit tags/get
    await admin("/__sim/faults", { path: "/cgi-bin/tags/get", errcode: -1, times: 1 });
    await c.tags();
    await admin("/__sim/faults", { path: "/cgi-bin/tags/get", errcode: 45011, times: 1 });
    await c.tags();
    await admin("/__sim/faults", { path: "/cgi-bin/tags/get", drop: true, times: 1 });
    await c.tags();
    await admin("/__sim/faults", { path: "/cgi-bin/tags/get", html: true, times: 1 });
    await c.tags();
    const row = database.sqlite
      .prepare("SELECT calls, errors FROM api_usage WHERE path = '/cgi-bin/tags/get'")
      .get();
    expect(row).toEqual({ calls: 9, errors: 4 });
  });

  it("gives up after a few retries with the last error", async () => {
    const c = client(0, { maxRetries: 2 });
    await c.tags();
    await admin("/__sim/faults", { path: "/cgi-bin/tags/get", errcode: -1, times: 10 });
    const error = await failure(c.tags());
    expect(error).toMatchObject({ errcode: -1, category: "retry" });
  });

  it("turns malformed JSON into a typed error without retrying it", async () => {
    const c = client();
    await c.tags();
    await admin("/__sim/faults", { path: "/cgi-bin/tags/get", badJson: true, times: 1 });
    expect(await failure(c.tags())).toMatchObject({ category: "bad-response" });
  });

  it("renews a token WeChat says is invalid, once, and retries the call", async () => {
    const c = client(0, { tokenMode: "plain" });
    await c.tags();
    // Another party fetches a token; after the overlap window ours is refused with 40001.
    await fetch(
      `${sim.url}/cgi-bin/token?grant_type=client_credential&appid=${accounts[0]!.appid}&secret=${accounts[0]!.secret}`,
    );
    await admin("/__sim/clock", { advanceSeconds: 301 });
    await c.tags();
    const rows = database.sqlite.prepare("SELECT path, calls, errors FROM api_usage ORDER BY path").all();
    expect(rows).toEqual([
      { path: "/cgi-bin/tags/get", calls: 3, errors: 1 },
      { path: "/cgi-bin/token", calls: 2, errors: 0 },
    ]);
  });

  it.each([
    [{ quotas: { "/cgi-bin/tags/get": 1 } }, 45009, "quota-exhausted"],
    [{ ipWhitelist: "ME" }, 40164, "ip-not-whitelisted"],
    [{ noPermission: "ME" }, 48001, "no-permission"],
    [{ blocked: "ME" }, 50004, "account-blocked"],
  ])(
    "stops on %j with errcode %i (%s) and records it as the account's last error",
    async (config, errcode, category) => {
      const appid = accounts[2]!.appid;
      const resolved = Object.fromEntries(
        Object.entries(config).map(([key, value]) => [
          key,
          value === "ME"
            ? key === "ipWhitelist"
              ? { [appid]: ["203.0.113.9"] }
              : key === "noPermission"
                ? { [appid]: ["/cgi-bin/tags/get"] }
                : { [appid]: true }
            : value,
        ]),
      );
      const c = client(2);
      await c.accessToken();
      await admin("/__sim/config", resolved);
      try {
        if (errcode === 45009) await c.tags();
        const error = await failure(c.tags());
        expect(error).toMatchObject({ errcode, category });
        if (errcode === 40164) expect(error.ip).toMatch(/127\.0\.0\.1/);
      } finally {
        await admin("/__sim/config", {
          quotas: { "/cgi-bin/tags/get": null },
          ipWhitelist: { [appid]: null },
          noPermission: { [appid]: null },
          blocked: { [appid]: null },
        });
      }
    },
  );
});

describe("one token owner across processes", () => {
  // Plain /token mode is the strict case: every fetch there mints a new token and, with no overlap,
  // kills the previous one, so two processes that each fetched would break each other's calls.
  it.each(["plain", "stable"])(
    "two processes making 500 calls each share one %s token while only the newest is accepted",
    async (mode) => {
      const own = await startSimulator({
        port: 0,
        seed: 5,
        accounts: 1,
        followers: 10,
        tokenOverlapSeconds: 0,
      });
      const [account] = (await (await fetch(`${own.url}/__sim/accounts`)).json()) as SimAccount[];
      const db = tempDatabase();
      try {
        const run = () =>
          new Promise<{ ok: number; failures: string[] }>((resolve, reject) => {
            const child = spawn(
              process.execPath,
              [
                "--import",
                "tsx",
                "--conditions=react-server",
                "lib/testing/children/shared-token.ts",
                db.file,
                own.url,
                account!.appid,
                account!.secret,
                "500",
                mode,
              ],
              { stdio: ["ignore", "pipe", "inherit"] },
            );
            let out = "";
            child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
            child.on("error", reject);
            child.on("exit", () => resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}")));
          });
        const [a, b] = await Promise.all([run(), run()]);
        expect(a).toEqual({ ok: 500, failures: [] });
        expect(b).toEqual({ ok: 500, failures: [] });
        const stats = (await (await fetch(`${own.url}/__sim/stats`)).json()) as {
          tokensIssued: Record<string, { total: number }>;
        };
        expect(stats.tokensIssued[account!.appid]?.total).toBe(1);
      } finally {
        db.cleanup();
        await own.close();
      }
    },
    60_000,
  );
});

describe("the follower list's pagination edge", () => {
  it.each([10_000, 20_000])(
    "lists exactly %i followers, reading WeChat's empty page after the full last one",
    async (n) => {
      const own = await startSimulator({ port: 0, seed: 9, accounts: 1, followers: n });
      const [account] = (await (await fetch(`${own.url}/__sim/accounts`)).json()) as SimAccount[];
      const db = tempDatabase();
      try {
        const c = testClient(db.db, own.url, account!);
        const seen = new Set<string>();
        let pages = 0;
        for await (const page of c.allFollowers()) {
          pages++;
          page.openids.forEach((o) => seen.add(o));
        }
        expect(seen.size).toBe(n);
        expect(pages).toBe(n / 10_000);
        const calls = db.sqlite.prepare("SELECT calls FROM api_usage WHERE path = '/cgi-bin/user/get'").get();
        expect(calls).toEqual({ calls: n / 10_000 + 1 });
      } finally {
        db.cleanup();
        await own.close();
      }
    },
  );
});
