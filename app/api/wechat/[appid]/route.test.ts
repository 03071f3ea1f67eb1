import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/wechat/[appid]/route";
import { db, schema, sqlite } from "@/lib/db";
import { addTestAccount, useTempDatabase } from "@/lib/testing/temp-db";
import { setLogTarget } from "@/lib/log";
import { pushSignature } from "@/lib/wechat/crypto";

const TOKEN = "pushToken123";
let cleanup: () => void;
beforeEach(() => {
  cleanup = useTempDatabase();
  // Profile fetches after a reply must not leave the machine.
  process.env.WECHAT_API_BASE = "http://127.0.0.1:9";
});
afterEach(() => cleanup());

const add = addTestAccount;

function signedUrl(appid: string, extra: Record<string, string> = {}) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = "777";
  const query = new URLSearchParams({
    signature: pushSignature(TOKEN, timestamp, nonce),
    timestamp,
    nonce,
    ...extra,
  });
  return `http://localhost/api/wechat/${appid}?${query}`;
}

const context = (appid: string) => ({ params: Promise.resolve({ appid }) });
const xml = (openid: string) =>
  `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content></xml>`;
const stored = () => sqlite().prepare("SELECT count(*) FROM push_events").pluck().get();

describe("the push route", () => {
  it("echoes echostr to a signed URL check", async () => {
    const appid = "wx00000000000000a1";
    add(appid, TOKEN);
    const response = await GET(new Request(signedUrl(appid, { echostr: "4242" })), context(appid));
    expect([response.status, await response.text()]).toEqual([200, "4242"]);
  });

  it("answers 404 for an unknown appid and 403 for an account without a push token or disabled, storing nothing", async () => {
    const noToken = "wx00000000000000a2";
    const disabled = "wx00000000000000a3";
    add(noToken);
    add(disabled, TOKEN);
    db().update(schema.accounts).set({ disabledAt: new Date() }).run();
    for (const [appid, status] of [
      ["wx00000000000000ff", 404],
      [noToken, 403],
      [disabled, 403],
    ] as const) {
      const get = await GET(new Request(signedUrl(appid, { echostr: "1" })), context(appid));
      const post = await POST(
        new Request(signedUrl(appid), { method: "POST", body: xml("o1") }),
        context(appid),
      );
      expect([get.status, await get.text(), post.status]).toEqual([status, "", status]);
    }
    expect(stored()).toBe(0);
  });

  it("stores a signed message and refuses a body over 64 kB without reading it all", async () => {
    const appid = "wx00000000000000a4";
    add(appid, TOKEN);
    const ok = await POST(new Request(signedUrl(appid), { method: "POST", body: xml("o2") }), context(appid));
    expect([ok.status, await ok.text()]).toEqual([200, "success"]);
    expect(stored()).toBe(1);
    const big = new ReadableStream({
      pull(controller) {
        controller.enqueue(new Uint8Array(16 * 1024).fill(32));
      },
    });
    const tooBig = await POST(
      new Request(signedUrl(appid), { method: "POST", body: big, duplex: "half" } as RequestInit),
      context(appid),
    );
    expect(tooBig.status).toBe(413);
    expect(stored()).toBe(1);
  });

  it("binds a plaintext-mode URL to its first body: WeChat's retry passes, another body on that URL gets 403", async () => {
    const appid = "wx00000000000000a5";
    add(appid, TOKEN);
    const url = signedUrl(appid);
    const post = (body: string) => POST(new Request(url, { method: "POST", body }), context(appid));
    const first = xml("o5");
    expect((await post(first)).status).toBe(200);
    expect((await post(first)).status).toBe(200);
    expect((await post(xml("o6"))).status).toBe(403);
    expect(stored()).toBe(1);
  });

  it("refuses a CreateTime far from the signed timestamp, a parser-breaking body and an old URL check, storing nothing", async () => {
    const appid = "wx00000000000000b1";
    add(appid, TOKEN);
    const old = xml("o9").replace(/<CreateTime>\d+/, `<CreateTime>${Math.floor(Date.now() / 1000) - 3600}`);
    const late = await POST(new Request(signedUrl(appid), { method: "POST", body: old }), context(appid));
    const nested = `<xml>${"<a>".repeat(9000)}${"</a>".repeat(9000)}</xml>`;
    const deep = await POST(new Request(signedUrl(appid), { method: "POST", body: nested }), context(appid));
    const timestamp = String(Math.floor(Date.now() / 1000) - 3600);
    const query = new URLSearchParams({
      signature: pushSignature(TOKEN, timestamp, "1"),
      timestamp,
      nonce: "1",
      echostr: "9",
    });
    const echo = await GET(new Request(`http://localhost/api/wechat/${appid}?${query}`), context(appid));
    expect([late.status, deep.status, echo.status, await echo.text()]).toEqual([403, 400, 403, ""]);
    expect(stored()).toBe(0);
  });

  it("does not write a log line per refused push: an anonymous client must not control log volume", async () => {
    const appid = "wx00000000000000c1";
    add(appid, TOKEN);
    // Each test's route module shares the process's refusal log: start from a fresh one.
    delete (globalThis as { __unionviewPushRefusals?: unknown }).__unionviewPushRefusals;
    const lines: string[] = [];
    const restore = setLogTarget({ write: (line) => lines.push(line) });
    try {
      for (let i = 0; i < 40; i++) {
        const url = signedUrl(appid).replace(/signature=[^&]+/, `signature=${"0".repeat(40)}`);
        const response = await POST(new Request(url, { method: "POST", body: xml("o1") }), context(appid));
        expect(response.status).toBe(403);
      }
      const refusals = lines.filter((line) => line.includes(`push ${appid}`));
      expect(refusals).toHaveLength(1);
    } finally {
      restore();
    }
  });
});
