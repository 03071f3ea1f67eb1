import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sqlite } from "@/lib/db";
import { addTestAccount, useTempDatabase } from "@/lib/testing/temp-db";
import { pushSignature } from "@/lib/wechat/crypto";
import { PushGate } from "./gate";
import { appidOfPath } from "./http";

const TOKEN = "gatePushToken1";
const APPID = "wx00000000000000g1";
let cleanup: () => void;
let server: Server;
let gate: PushGate;
beforeEach(async () => {
  cleanup = useTempDatabase();
  process.env.WECHAT_API_BASE = "http://127.0.0.1:9";
  addTestAccount(APPID, TOKEN);
  gate = new PushGate(1);
  // The entry's routing, as in scripts/server.ts.
  server = createServer((req, res) => {
    const [path, query = ""] = (req.url ?? "/").split("?");
    void gate.handle(req, res, appidOfPath(path!)!, new URLSearchParams(query));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  cleanup();
});

const stored = () => sqlite().prepare("SELECT from_user FROM push_events ORDER BY 1").pluck().all();
const xml = (openid: string) =>
  `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[unsubscribe]]></Event></xml>`;

/** A signed push whose body is written by the caller (so it can be held back). */
function open(headers: Record<string, string> = {}) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const query = new URLSearchParams({ signature: pushSignature(TOKEN, timestamp, nonce), timestamp, nonce });
  const { port } = server.address() as AddressInfo;
  const req = request(`http://127.0.0.1:${port}/api/wechat/${APPID}?${query}`, {
    method: "POST",
    agent: false,
    headers,
  });
  const reply = new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body, connection: res.headers.connection }));
    });
    req.on("error", reject);
  });
  return { req, reply };
}

describe("PushGate", () => {
  it("answers 503 before reading the body while the gate is full, and the held event is answered after its commit", async () => {
    const held = open({ "content-length": String(Buffer.byteLength(xml("o-held"))) });
    // Half the body: the request is admitted and waits for the rest.
    const body = xml("o-held");
    held.req.write(body.slice(0, 40));
    await vi.waitFor(() => expect(gate.held).toBe(1), { timeout: 10_000 });
    // The second one gets 503 without its body ever being sent.
    const refused = open({ "content-length": "300" });
    refused.req.flushHeaders();
    const second = await refused.reply;
    expect([second.status, second.body, second.connection]).toEqual([503, "", "close"]);
    expect(stored()).toEqual([]);
    refused.req.destroy();
    held.req.end(body.slice(40));
    expect(await held.reply).toMatchObject({ status: 200, body: "success" });
    expect(stored()).toEqual(["o-held"]);
    expect([gate.held, gate.shed]).toEqual([0, 1]);
  });

  it("once closed, refuses with 503 and drained() waits for the requests already admitted", async () => {
    const body = xml("o-before-close");
    const held = open({ "content-length": String(Buffer.byteLength(body)) });
    held.req.write(body.slice(0, 40));
    await vi.waitFor(() => expect(gate.held).toBe(1), { timeout: 10_000 });
    gate.close();
    let drained = false;
    const done = gate.drained().then(() => (drained = true));
    const late = open();
    late.req.end(xml("o-after-close"));
    expect((await late.reply).status).toBe(503);
    expect(drained).toBe(false);
    held.req.end(body.slice(40));
    // Answered (after its commit) though the gate closed meanwhile, with the connection closing.
    expect(await held.reply).toMatchObject({ status: 200, body: "success", connection: "close" });
    await done;
    expect(stored()).toEqual(["o-before-close"]);
  });
});
