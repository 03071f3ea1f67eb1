import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "./index";
import { decryptMessage, encryptMessage, wechatSignature } from "./push-crypto";
import type { PushResult, VerifyResult } from "./push";
import type { AccountInfo } from "./simulator";
import { batchget, wxClient, type WxTestClient } from "./testing";

// wechat-crypto (node-webot) is an independent implementation; it ships no types.
interface ReferenceCrypt {
  getSignature(timestamp: string, nonce: string, encrypt: string): string;
  encrypt(text: string): string;
  decrypt(encrypt: string): { message: string; id: string };
}
const WXBizMsgCrypt = createRequire(import.meta.url)("wechat-crypto") as new (
  token: string,
  encodingAESKey: string,
  appid: string,
) => ReferenceCrypt;

interface Received {
  method: string;
  query: URLSearchParams;
  body: string;
}

let running: RunningSimulator;
let wx: WxTestClient;
let account: AccountInfo;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
let reply: (request: Received) => { status: number; body: string } = () => ({ status: 200, body: "success" });

beforeAll(async () => {
  running = await startSimulator({ seed: 21, accounts: 2, followers: 100 });
  wx = wxClient(running.url);
  account = running.sim.accounts()[0]!;
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = {
        method: req.method ?? "",
        query: new URL(req.url ?? "/", "http://x").searchParams,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(request);
      const { status, body } = reply(request);
      res.writeHead(status, { "Content-Type": "text/plain" }).end(body);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/wechat/push?account=1`;
});
afterAll(async () => {
  await running.close();
  await new Promise((resolve) => receiver.close(resolve));
});

const push = (body: Record<string, unknown>) =>
  wx.admin<PushResult>("POST", "/__sim/push", { appid: account.appid, url: receiverUrl, ...body });

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>(?:<!\\[CDATA\\[)?(.*?)(?:\\]\\]>)?</${name}>`, "s").exec(xml)?.[1];
}

describe("push crypto", () => {
  it("round-trips and agrees with wechat-crypto both ways, Chinese included", () => {
    const reference = new WXBizMsgCrypt(account.pushToken, account.encodingAESKey, account.appid);
    for (const text of [
      "<xml>hello</xml>",
      "<xml><Content><![CDATA[你好，世界 ✓]]></Content></xml>",
      "",
      "x".repeat(1000),
    ]) {
      const ours = encryptMessage(text, account.appid, account.encodingAESKey);
      expect(reference.decrypt(ours)).toStrictEqual({ message: text, id: account.appid });
      expect(decryptMessage(reference.encrypt(text), account.encodingAESKey)).toStrictEqual({
        xml: text,
        appid: account.appid,
      });
      expect(Buffer.from(ours, "base64").length % 32).toBe(0);
    }
    const random = randomBytes(8).toString("hex");
    expect(wechatSignature(account.pushToken, "1700000000", "42", random)).toBe(
      reference.getSignature("1700000000", "42", random),
    );
    expect(wechatSignature("b", "a", "c")).toBe(createHash("sha1").update("abc").digest("hex"));
  });
});

describe("push", () => {
  it("sends a signed plain subscribe event and adds the follower", async () => {
    const before = running.sim.truth().accounts[0]!.subscribed;
    received.length = 0;
    const result = await push({ event: "subscribe", eventKey: "qrscene_123", mode: "plain" });
    expect(result).toMatchObject({ status: 200, body: "success", attempts: 1 });
    const [request] = received as [Received];
    expect(request.method).toBe("POST");
    expect(request.query.get("account")).toBe("1");
    const timestamp = request.query.get("timestamp")!;
    const nonce = request.query.get("nonce")!;
    expect(request.query.get("signature")).toBe(wechatSignature(account.pushToken, timestamp, nonce));
    expect(request.query.get("openid")).toBe(result.openid);
    expect(request.query.has("encrypt_type")).toBe(false);
    expect(tag(request.body, "ToUserName")).toBe(account.originalId);
    expect(tag(request.body, "FromUserName")).toBe(result.openid);
    expect(tag(request.body, "CreateTime")).toBe(timestamp);
    expect(tag(request.body, "MsgType")).toBe("event");
    expect(tag(request.body, "Event")).toBe("subscribe");
    expect(tag(request.body, "EventKey")).toBe("qrscene_123");
    expect(tag(request.body, "Ticket")).toBeTruthy();

    expect(running.sim.truth().accounts[0]!.subscribed).toBe(before + 1);
    const token = await wx.token(account);
    const [profile] = await batchget(wx, token, [result.openid]);
    expect(profile).toMatchObject({ subscribe: 1, subscribe_scene: "ADD_SCENE_QR_CODE", qr_scene: 123 });
  });

  it("sends a safe-mode unsubscribe that wechat-crypto opens, and removes the follower", async () => {
    const [openid] = running.sim.followers(account.appid, { subscribed: true, limit: 1 }).openids as [string];
    const before = running.sim.truth().accounts[0]!.subscribed;
    received.length = 0;
    const result = await push({ event: "unsubscribe", openid, mode: "safe" });
    expect(result.status).toBe(200);
    const [request] = received as [Received];
    expect(request.query.get("encrypt_type")).toBe("aes");
    const encrypted = tag(request.body, "Encrypt")!;
    expect(tag(request.body, "FromUserName")).toBeUndefined();
    const reference = new WXBizMsgCrypt(account.pushToken, account.encodingAESKey, account.appid);
    expect(request.query.get("msg_signature")).toBe(
      reference.getSignature(request.query.get("timestamp")!, request.query.get("nonce")!, encrypted),
    );
    const { message, id } = reference.decrypt(encrypted);
    expect(id).toBe(account.appid);
    expect(message).toBe(result.xml);
    expect(tag(message, "Event")).toBe("unsubscribe");
    expect(tag(message, "FromUserName")).toBe(openid);
    expect(running.sim.truth().accounts[0]!.subscribed).toBe(before - 1);
    const [profile] = await batchget(wx, await wx.token(account), [openid]);
    expect(profile).toStrictEqual({ subscribe: 0, openid, tagid_list: [] });
  });

  it("sends compat mode with both the plain fields and Encrypt, and decrypts a safe-mode reply", async () => {
    reply = (request) => {
      const xml = "<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[收到]]></Content></xml>";
      const encrypted = encryptMessage(xml, account.appid, account.encodingAESKey);
      const timestamp = request.query.get("timestamp")!;
      const signature = wechatSignature(account.pushToken, timestamp, "777", encrypted);
      return {
        status: 200,
        body: `<xml><Encrypt><![CDATA[${encrypted}]]></Encrypt><MsgSignature><![CDATA[${signature}]]></MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[777]]></Nonce></xml>`,
      };
    };
    received.length = 0;
    try {
      const result = await push({ event: "text", content: "你好", mode: "compat" });
      const [request] = received as [Received];
      expect(tag(request.body, "Content")).toBe("你好");
      expect(decryptMessage(tag(request.body, "Encrypt")!, account.encodingAESKey).xml).toBe(result.xml);
      expect(result.reply).toMatchObject({ appid: account.appid, signatureValid: true });
      expect(result.reply!.xml).toContain("收到");
    } finally {
      reply = () => ({ status: 200, body: "success" });
    }
  });

  it("reports an unreachable URL as status 0 with an error", async () => {
    const result = await wx.admin<PushResult>("POST", "/__sim/push", {
      appid: account.appid,
      url: "http://127.0.0.1:1/nowhere",
      event: "SCAN",
      eventKey: "42",
      retries: 1,
    });
    expect(result).toMatchObject({ status: 0, attempts: 2 });
    expect(result.error).toBeTruthy();
  });

  it("runs the URL verification handshake", async () => {
    reply = (request) => {
      const ok =
        request.query.get("signature") ===
        wechatSignature(account.pushToken, request.query.get("timestamp")!, request.query.get("nonce")!);
      return ok
        ? { status: 200, body: request.query.get("echostr")! }
        : { status: 403, body: "bad signature" };
    };
    try {
      const good = await wx.admin<VerifyResult>("POST", "/__sim/verify", {
        appid: account.appid,
        url: receiverUrl,
      });
      expect(good.ok).toBe(true);
      const bad = await wx.admin<VerifyResult>("POST", "/__sim/verify", {
        appid: account.appid,
        url: receiverUrl,
        tamper: true,
      });
      expect(bad).toMatchObject({ ok: false, status: 403 });
    } finally {
      reply = () => ({ status: 200, body: "success" });
    }
  });
});
