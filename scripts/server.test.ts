import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addTestAccount, useTempDatabase } from "@/lib/testing/temp-db";
import { pushSignature } from "@/lib/wechat/crypto";
import { buildIsCurrent } from "./build-current";

/**
 * The production entry (scripts/server.ts) as a black box: one port for the push URL and the pages,
 * the push checks through it, and a graceful stop (SIGTERM) in the middle of a burst of pushes.
 */
const ROOT = resolve(__dirname, "..");
const TOKEN = "entryPushToken1";
const APPID = "wx00000000000000e1";
const DISABLED = "wx00000000000000e2";

let cleanup: () => void;
let databaseFile: string;
let server: { child: ChildProcess; base: string; exited: Promise<number | null> };

function freePort(): Promise<number> {
  return new Promise((done) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

async function startEntry() {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "scripts/server.ts", "--hostname", "127.0.0.1"],
    {
      cwd: ROOT,
      // Profile fetches after a reply must not leave the machine.
      env: { ...process.env, PORT: String(port), WECHAT_API_BASE: "http://127.0.0.1:9" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  await new Promise<void>((done, fail) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("UnionView on http")) done();
    });
    void exited.then((code) => fail(new Error(`the server entry exited (${code}) before listening`)));
  });
  return { child, base: `http://127.0.0.1:${port}`, exited };
}

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

let agent = new Agent({ keepAlive: true, maxSockets: 32 });

function call(path: string, method = "GET", body?: string | Buffer): Promise<Reply> {
  return new Promise((done, fail) => {
    const r = request(`${server.base}${path}`, { method, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => done({ status: res.statusCode!, body: text, headers: res.headers }));
    });
    r.on("error", fail);
    r.end(body);
  });
}

const now = () => Math.floor(Date.now() / 1000);

function pushPath(appid: string, options: { timestamp?: number; nonce?: string; token?: string } = {}) {
  const timestamp = String(options.timestamp ?? now());
  const nonce = options.nonce ?? String(Math.floor(Math.random() * 1e9));
  const query = new URLSearchParams({
    signature: pushSignature(options.token ?? TOKEN, timestamp, nonce),
    timestamp,
    nonce,
  });
  return `/api/wechat/${appid}?${query}`;
}

/** An unsubscribe (it needs no profile fetch) from `openid`, in plaintext mode. */
const xml = (openid: string, createTime = now()) =>
  `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[unsubscribe]]></Event></xml>`;

function storedOpenids(): Set<string> {
  const sqlite = new Database(databaseFile, { readonly: true });
  try {
    return new Set(sqlite.prepare("SELECT from_user FROM push_events").pluck().all() as string[]);
  } finally {
    sqlite.close();
  }
}

beforeAll(async () => {
  // The pages come from the production build, as with `npm start`.
  if (!buildIsCurrent()) {
    const build = spawnSync(join(ROOT, "node_modules", ".bin", "next"), ["build"], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
      stdio: "inherit",
    });
    if (build.status !== 0) throw new Error("next build failed");
  }
  cleanup = useTempDatabase();
  databaseFile = process.env.DATABASE_URL!;
  addTestAccount(APPID, TOKEN);
  addTestAccount(DISABLED, TOKEN);
  const sqlite = new Database(databaseFile);
  sqlite.prepare("UPDATE accounts SET disabled_at = 1 WHERE appid = ?").run(DISABLED);
  sqlite.close();
  server = await startEntry();
}, 600_000);

afterAll(async () => {
  agent.destroy();
  if (server?.child.exitCode === null) {
    server.child.kill("SIGTERM");
    await server.exited;
  }
  cleanup?.();
});

describe("the server entry", () => {
  it("answers a signed push and a page on the same port, the push without Next's routing, and runs one sync worker", async () => {
    const push = await call(pushPath(APPID), "POST", xml("o-entry-1"));
    expect([push.status, push.body]).toEqual([200, "success"]);
    expect(storedOpenids()).toEqual(new Set(["o-entry-1"]));
    const page = await call("/login");
    expect(page.status).toBe(200);
    expect(page.body).toContain("<html");
    // next.config.js adds these to everything Next answers; the push reply never went through Next.
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(push.headers["x-frame-options"]).toBeUndefined();
    const children = execFileSync("ps", ["--ppid", String(server.child.pid), "-o", "args="], {
      encoding: "utf8",
    });
    expect(children.split("\n").filter((line) => line.includes("scripts/worker.ts"))).toHaveLength(1);
  });

  it("refuses a bad signature, a replay, malformed XML, an oversize body, an unknown or disabled appid, storing nothing", async () => {
    const before = storedOpenids();
    const replies = [
      await call(pushPath(APPID, { token: "notTheToken" }), "POST", xml("o-bad-1")),
      await call(pushPath(APPID, { timestamp: now() - 3600 }), "POST", xml("o-bad-2", now() - 3600)),
      await call(pushPath(APPID), "POST", "<xml><FromUserName>o-bad-3</xml"),
      await call(pushPath(APPID), "POST", `<xml>${"<a>".repeat(9000)}${"</a>".repeat(9000)}</xml>`),
      await call(pushPath(APPID), "POST", Buffer.alloc(70 * 1024, 32)),
      await call(pushPath("wx00000000000000ff"), "POST", xml("o-bad-4")),
      await call(pushPath(DISABLED), "POST", xml("o-bad-5")),
      await call(`/api/wechat/${APPID}?signature=abc`, "POST", xml("o-bad-6")),
    ];
    expect(replies.map((r) => r.status)).toEqual([403, 403, 400, 400, 413, 404, 403, 400]);
    expect(replies.every((r) => r.body === "")).toBe(true);
    expect(storedOpenids()).toEqual(before);
  });

  it("on SIGTERM in a burst: every push answered success is stored, the rest are refused for WeChat to retry; a URL stays bound to its body after the restart", async () => {
    const burst = Array.from({ length: 400 }, (_, i) => ({
      openid: `o-burst-${i}`,
      path: pushPath(APPID),
      body: xml(`o-burst-${i}`),
    }));
    let answered = 0;
    let stopRequested: () => void;
    const stop = new Promise<void>((done) => (stopRequested = done));
    type Outcome = (typeof burst)[number] & { reply?: Reply; error?: string };
    const results = burst.map(async (push, i): Promise<Outcome> => {
      // Spread over about 2 s; SIGTERM goes out once 50 have been answered.
      await new Promise((r) => setTimeout(r, i * 5));
      try {
        const reply = await call(push.path, "POST", push.body);
        if (++answered === 50) stopRequested();
        return { ...push, reply };
      } catch (error) {
        return { ...push, error: (error as Error).message };
      }
    });
    await stop;
    server.child.kill("SIGTERM");
    const outcomes = await Promise.all(results);
    expect(await server.exited).toBe(0);

    const stored = storedOpenids();
    const succeeded = outcomes.filter((o) => o.reply?.status === 200);
    expect(succeeded.length).toBeGreaterThanOrEqual(50);
    expect(succeeded.every((o) => o.reply!.body === "success" && stored.has(o.openid))).toBe(true);
    // Anything else was refused (503 before its body was read) or never reached a listening server.
    expect(outcomes.every((o) => o.reply?.status === 200 || o.reply?.status === 503 || o.error)).toBe(true);

    // The plaintext-mode binding is in the database: after a restart, the URL of an answered push
    // still takes its own body (a retry, deduplicated) and nothing else.
    agent.destroy();
    agent = new Agent({ keepAlive: true, maxSockets: 32 });
    server = await startEntry();
    const first = succeeded[0]!;
    const retry = await call(first.path, "POST", first.body);
    const forged = await call(first.path, "POST", xml("o-forged"));
    expect([retry.status, retry.body, forged.status]).toEqual([200, "success", 403]);
    expect(storedOpenids().has("o-forged")).toBe(false);
  }, 120_000);
});
