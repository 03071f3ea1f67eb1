import { createCipheriv, createHash } from "node:crypto";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { startSimulator, type AccountInfo, type PushResult, type Truth } from "@/lib/simulator";
import { syncOnce } from "@/lib/sync/testing";
import { encryptMessage, pushSignature } from "@/lib/wechat/crypto";
import { receivePush, REPLAY_WINDOW_SECONDS, type PushAccount } from "./receive";
import { SqliteSignedUrls } from "./signed-urls";
import { startPushReceiver } from "./testing";
import { NO_DRIFT, expectedFromTruth, maintainedFigures, peopleDrift } from "@/lib/followers/testing";
import { simAdmin } from "@/lib/simulator/testing";
import { accountsFixture } from "@/lib/testing/temp-db";

// wechat-crypto (node-webot) is an independent implementation used as an oracle; it ships no types.
const WXBizMsgCrypt = createRequire(import.meta.url)("wechat-crypto") as new (
  token: string,
  encodingAESKey: string,
  appid: string,
) => {
  encrypt(text: string): string;
  getSignature(timestamp: string, nonce: string, encrypt: string): string;
};

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let accounts: AccountInfo[];
let fixture: ReturnType<typeof accountsFixture>;
let receiver: Awaited<ReturnType<typeof startPushReceiver>>;

const admin = <T>(path: string, body?: unknown) => simAdmin<T>(sim.url, path, body);
const slots = () => new Map(accounts.map((a, i) => [i, a.appid]));

function push(appid: string, request: Record<string, unknown>) {
  return admin<PushResult>("/__sim/push", { appid, url: receiver.url(appid), ...request });
}

async function expectTruth() {
  await receiver.batcher.idle();
  expect(maintainedFigures(fixture.sqlite, slots())).toEqual(
    expectedFromTruth(await admin<Truth>("/__sim/truth")),
  );
  expect(peopleDrift(fixture.sqlite)).toEqual(NO_DRIFT);
}

const eventCount = () => fixture.sqlite.prepare("SELECT count(*) FROM push_events").pluck().get() as number;
const figures = () => JSON.stringify([maintainedFigures(fixture.sqlite, slots()), eventCount()]);

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5, accounts: 3, followers: [300, 200, 150], unbound: 1 });
  accounts = await admin<AccountInfo[]>("/__sim/accounts");
  fixture = accountsFixture(accounts);
  for (const account of accounts) await syncOnce(fixture, sim.url, account, "full");
  receiver = await startPushReceiver(fixture, sim.url, accounts, { withoutAesKey: [accounts[2]!.appid] });
});
afterAll(async () => {
  await receiver?.close();
  fixture?.cleanup();
  await sim?.close();
});

describe("push endpoint against the simulator's push sender", () => {
  it("answers the URL check with echostr, and refuses a wrong signature without echoing", async () => {
    const ok = await admin<{ status: number; body: string; ok: boolean }>("/__sim/verify", {
      appid: accounts[0]!.appid,
      url: receiver.url(accounts[0]!.appid),
    });
    expect(ok.ok).toBe(true);
    const tampered = await admin<{ status: number; body: string; echostr: string }>("/__sim/verify", {
      appid: accounts[0]!.appid,
      url: receiver.url(accounts[0]!.appid),
      tamper: true,
    });
    expect(tampered.status).toBe(403);
    expect(tampered.body).not.toContain(tampered.echostr);
  });

  it.each(["plain", "compat", "safe"] as const)(
    "%s mode: follows, shared follows, unfollows, scans and messages keep every count exact",
    async (mode) => {
      const [a, b] = accounts as [AccountInfo, AccountInfo];
      // Plaintext is accepted only from accounts without a stored EncodingAESKey.
      const keys = [a, b].map((x) => receiver.accounts.get(x.appid)!.aesKey);
      if (mode === "plain") for (const x of [a, b]) receiver.accounts.get(x.appid)!.aesKey = null;
      onTestFinished(() => {
        [a, b].forEach((x, i) => (receiver.accounts.get(x.appid)!.aesKey = keys[i]!));
      });
      const results = [
        await push(a.appid, { event: "subscribe", mode }),
        await push(b.appid, { event: "subscribe", mode, shared: true }),
        await push(b.appid, { event: "subscribe", mode, shared: true, eventKey: "qrscene_42" }),
        await push(a.appid, { event: "unsubscribe", mode }),
        await push(b.appid, { event: "SCAN", mode, eventKey: "7" }),
        await push(a.appid, { event: "text", mode, content: "你好 & <hi>" }),
      ];
      expect(results.map((r) => [r.status, r.body])).toEqual(results.map(() => [200, "success"]));
      await expectTruth();
      const modes = fixture.sqlite
        .prepare("SELECT DISTINCT mode FROM push_events WHERE id > (SELECT max(id) - 6 FROM push_events)")
        .pluck()
        .all();
      expect(modes).toEqual([mode]);
    },
  );

  it("plaintext to an account with a stored EncodingAESKey is refused (only the encrypted part is signed)", async () => {
    const before = figures();
    const result = await push(accounts[0]!.appid, { event: "text", mode: "plain" });
    expect(result.status).toBe(403);
    expect(figures()).toBe(before);
  });

  it("a person subscribing to a second account is grouped with their first follow once the profile arrives", async () => {
    const b = accounts[1]!;
    const result = await push(b.appid, { event: "subscribe", mode: "safe", shared: true });
    await receiver.batcher.idle();
    const person = await admin<{ unionid: string; follows: { appid: string; subscribed: boolean }[] }>(
      `/__sim/person?id=${result.openid}`,
    );
    const grouped = fixture.sqlite
      .prepare(
        "SELECT count(*) FROM followers WHERE person_id = (SELECT person_id FROM followers WHERE openid = ?) AND subscribed = 1",
      )
      .pluck()
      .get(result.openid);
    const subscribedInBound = person.follows.filter(
      (f) => f.subscribed && accounts.find((x) => x.appid === f.appid)!.bound,
    ).length;
    expect(grouped).toBe(person.unionid ? subscribedInBound : 1);
    await expectTruth();
  });

  it("an unfollow and a return of the same openid round-trip", async () => {
    const a = accounts[0]!;
    const left = await push(a.appid, { event: "unsubscribe", mode: "safe" });
    await expectTruth();
    await push(a.appid, { event: "subscribe", mode: "safe", openid: left.openid });
    await expectTruth();
  });

  it("safe mode for an account without a stored EncodingAESKey is refused; compatible mode falls back to the signed plaintext", async () => {
    const c = accounts[2]!;
    const before = figures();
    const safe = await push(c.appid, { event: "text", mode: "safe" });
    expect(safe.status).toBe(403);
    expect(figures()).toBe(before);
    const compat = await push(c.appid, { event: "subscribe", mode: "compat" });
    expect(compat.status).toBe(200);
    await expectTruth();
  });
});

describe("receivePush refusals change nothing", () => {
  let account: PushAccount;
  const nonce = "12345";
  const ts = () => String(Math.floor(Date.now() / 1000));

  beforeAll(() => {
    account = receiver.accounts.get(accounts[0]!.appid)!;
  });

  function messageXml(openid: string, createTime: number, event = "subscribe") {
    return `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event><EventKey><![CDATA[]]></EventKey></xml>`;
  }

  function plainQuery(timestamp = ts()) {
    return new URLSearchParams({
      signature: pushSignature(account.token, timestamp, nonce),
      timestamp,
      nonce,
    });
  }

  function safeRequest(encrypt: string, timestamp = ts()) {
    const query = plainQuery(timestamp);
    query.set("encrypt_type", "aes");
    query.set(
      "msg_signature",
      createHash("sha1").update([account.token, timestamp, nonce, encrypt].sort().join("")).digest("hex"),
    );
    return {
      query,
      body: `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
    };
  }

  /** Plaintext requests go to the account as configured for plaintext mode (no EncodingAESKey stored). */
  function forQuery(query: URLSearchParams): PushAccount {
    return query.get("encrypt_type") === "aes" ? account : { ...account, aesKey: null };
  }

  async function call(query: URLSearchParams, body: string) {
    const before = figures();
    const reply = await receivePush(forQuery(query), query, body, Date.now(), receiver.deps);
    return { reply, unchanged: figures() === before };
  }

  /** AES-CBC under the account's key, with whatever padding the test wants. */
  function rawEncrypt(plaintext: Buffer) {
    const key = Buffer.from(`${account.aesKey}=`, "base64");
    const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(plaintext), cipher.final()]).toString("base64");
  }

  it.each([
    ["malformed XML", "<xml><FromUserName>o1</xml>", 400],
    [
      "a DTD with entities",
      '<!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><FromUserName>&a;</FromUserName></xml>',
      400,
    ],
    ["no <xml> root fields", "<xml/>", 400],
    ["a missing FromUserName", "<xml><CreateTime>1</CreateTime><MsgType>event</MsgType></xml>", 400],
    ["a repeated field", "<xml><FromUserName>a</FromUserName><FromUserName>b</FromUserName></xml>", 400],
  ])("%s → 400", async (_name, body, status) => {
    const { reply, unchanged } = await call(plainQuery(), body);
    expect(reply.status).toBe(status);
    expect(reply.body).toBe("");
    expect(unchanged).toBe(true);
  });

  it("a wrong signature → 403", async () => {
    const query = plainQuery();
    query.set("signature", "0".repeat(40));
    const { reply, unchanged } = await call(query, messageXml("oWrongSig", Number(ts())));
    expect([reply.status, unchanged]).toEqual([403, true]);
  });

  it("a missing signature → 400", async () => {
    const { reply, unchanged } = await call(new URLSearchParams(), messageXml("oNoSig", Number(ts())));
    expect([reply.status, unchanged]).toEqual([400, true]);
  });

  it("a replayed request older than 5 minutes → 403, even with a valid signature", async () => {
    const old = String(Math.floor(Date.now() / 1000) - 301);
    const { reply, unchanged } = await call(plainQuery(old), messageXml("oReplay", Number(old)));
    expect([reply.status, unchanged]).toEqual([403, true]);
    expect(reply.reason).toMatch(/5-minute/);
  });

  it("a body over 64 kB → 413", async () => {
    const { reply, unchanged } = await call(plainQuery(), `<xml>${" ".repeat(64 * 1024)}</xml>`);
    expect([reply.status, unchanged]).toEqual([413, true]);
  });

  it("a ciphertext for another AppID → 403", async () => {
    const timestamp = ts();
    const { encrypt } = encryptMessage(
      { token: account.token, encodingAESKey: account.aesKey!, appId: "wx0000000000000000" },
      messageXml("oOtherApp", Number(timestamp)),
      { timestamp, nonce },
    );
    const { query, body } = safeRequest(encrypt, timestamp);
    const { reply, unchanged } = await call(query, body);
    expect([reply.status, unchanged]).toEqual([403, true]);
    expect(reply.reason).toMatch(/different AppID/);
  });

  it("a safe-mode message with a valid msg_signature but a wrong URL signature → 403, body not read", async () => {
    const timestamp = ts();
    const { encrypt } = encryptMessage(
      { token: account.token, encodingAESKey: account.aesKey!, appId: account.appid },
      messageXml("oUrlSig", Number(timestamp)),
      { timestamp, nonce },
    );
    const { query, body } = safeRequest(encrypt, timestamp);
    query.set("signature", "1".repeat(40));
    const { reply, unchanged } = await call(query, body);
    expect([reply.status, reply.reason, unchanged]).toEqual([403, "signature mismatch", true]);
  });

  it("bad padding → 400", async () => {
    const xml = Buffer.from(messageXml("oBadPad", Number(ts())));
    const head = Buffer.alloc(20);
    head.writeUInt32BE(xml.length, 16);
    const content = Buffer.concat([head, xml, Buffer.from(account.appid)]);
    const pad = 32 - (content.length % 32);
    const padding = Buffer.alloc(pad, pad);
    padding[0] = (pad % 32) + 1; // one wrong byte
    const { query, body } = safeRequest(rawEncrypt(Buffer.concat([content, padding])));
    const { reply, unchanged } = await call(query, body);
    expect([reply.status, unchanged]).toEqual([400, true]);
  });

  it("a tampered msg_signature → 403", async () => {
    const timestamp = ts();
    const { encrypt } = encryptMessage(
      { token: account.token, encodingAESKey: account.aesKey!, appId: account.appid },
      messageXml("oTampered", Number(timestamp)),
      { timestamp, nonce },
    );
    const { query, body } = safeRequest(encrypt, timestamp);
    query.set("msg_signature", "f".repeat(40));
    const { reply, unchanged } = await call(query, body);
    expect([reply.status, unchanged]).toEqual([403, true]);
  });

  it("accepts a message encrypted by wechat-crypto, and a duplicate delivery changes nothing", async () => {
    const timestamp = ts();
    const oracle = new WXBizMsgCrypt(account.token, account.aesKey!, account.appid);
    // A QR scan from a current follower: accepted and stored, changes no count.
    const follower = fixture.sqlite
      .prepare("SELECT openid FROM followers WHERE account_id = ? AND subscribed = 1 LIMIT 1")
      .pluck()
      .get(account.id) as string;
    const encrypt = oracle.encrypt(messageXml(follower, Number(timestamp), "SCAN"));
    const { query, body } = safeRequest(encrypt, timestamp);
    expect(query.get("msg_signature")).toBe(oracle.getSignature(timestamp, nonce, encrypt));
    const first = await receivePush(account, query, body, Date.now(), receiver.deps);
    expect([first.status, first.body]).toEqual([200, "success"]);
    await receiver.batcher.idle();
    const { reply, unchanged } = await call(query, body);
    expect([reply.status, reply.body, reply.reason]).toEqual([200, "success", "duplicate delivery"]);
    expect(unchanged).toBe(true);
    expect(peopleDrift(fixture.sqlite)).toEqual(NO_DRIFT);
  });

  it("a plaintext URL is bound to its first body: a retry passes, another body on the same URL → 403", async () => {
    const deps = {
      ...receiver.deps,
      signedUrls: new SqliteSignedUrls(fixture.sqlite, REPLAY_WINDOW_SECONDS),
    };
    const [x, y] = fixture.sqlite
      .prepare("SELECT openid FROM followers WHERE account_id = ? AND subscribed = 1 LIMIT 2")
      .pluck()
      .all(account.id) as string[];
    const plain = { ...account, aesKey: null };
    const send = (q: URLSearchParams, body: string) => receivePush(plain, q, body, Date.now(), deps);
    const timestamp = ts();
    const query = plainQuery(timestamp);
    const first = messageXml(x!, Number(timestamp), "SCAN");
    expect((await send(query, first)).status).toBe(200);
    const before = figures();
    const retry = await send(query, first);
    expect([retry.status, retry.reason, figures()]).toEqual([200, "duplicate delivery", before]);
    const forged = await send(query, messageXml(y!, Number(timestamp), "SCAN"));
    expect([forged.status, forged.reason, figures()]).toEqual([
      403,
      "this signed URL was already used with a different message",
      before,
    ]);
    const otherUrl = new URLSearchParams({
      signature: pushSignature(account.token, timestamp, "54321"),
      timestamp,
      nonce: "54321",
    });
    const fresh = await send(otherUrl, messageXml(y!, Number(timestamp), "SCAN"));
    expect(fresh.status).toBe(200);
    expect(figures()).not.toBe(before);
  });

  it("an unsubscribe that arrives before an older subscribe wins (the late subscribe is stale)", async () => {
    const now = Number(ts());
    const openid = "oLateSubscribe";
    const send = (event: string, createTime: number) =>
      receivePush(
        { ...account, aesKey: null },
        plainQuery(),
        messageXml(openid, createTime, event),
        Date.now(),
        receiver.deps,
      );
    expect((await send("subscribe", now - 10)).status).toBe(200);
    expect((await send("unsubscribe", now)).status).toBe(200);
    expect((await send("subscribe", now - 5)).status).toBe(200);
    const outcomes = fixture.sqlite
      .prepare("SELECT event, outcome FROM push_events WHERE from_user = ? ORDER BY id")
      .all(openid);
    expect(outcomes).toEqual([
      { event: "subscribe", outcome: "applied" },
      { event: "unsubscribe", outcome: "applied" },
      { event: "subscribe", outcome: "stale" },
    ]);
    const subscribed = fixture.sqlite
      .prepare("SELECT subscribed FROM followers WHERE openid = ?")
      .pluck()
      .get(openid);
    expect(subscribed).toBe(0);
    // The simulator does not know this openid: its profile is rejected, the row stays as the events left it.
    await receiver.batcher.idle().catch(() => undefined);
    expect(peopleDrift(fixture.sqlite)).toEqual(NO_DRIFT);
  });
});

describe("group commit", () => {
  it("a burst of concurrent pushes to several accounts is applied in shared transactions and stays exact", async () => {
    const [a, b] = accounts as [AccountInfo, AccountInfo];
    // Unfollows of followers who were there before the burst: WeChat's CreateTime has one-second
    // resolution, so a follow and an unfollow of the same openid in one second cannot be ordered.
    const leaving = (appid: string) =>
      fixture.sqlite
        .prepare("SELECT openid FROM followers WHERE account_id = ? AND subscribed = 1 LIMIT 4")
        .pluck()
        .all(fixture.ids.get(appid)) as string[];
    const burst = await Promise.all([
      ...Array.from({ length: 8 }, () => push(a.appid, { event: "subscribe", mode: "safe" })),
      ...Array.from({ length: 8 }, () => push(b.appid, { event: "subscribe", mode: "safe", shared: true })),
      ...leaving(a.appid).map((openid) => push(a.appid, { event: "unsubscribe", openid, mode: "compat" })),
      ...leaving(b.appid).map((openid) => push(b.appid, { event: "unsubscribe", openid, mode: "safe" })),
    ]);
    expect(burst.every((r) => r.status === 200 && r.body === "success")).toBe(true);
    await expectTruth();
  });

  it("one person changed by two accounts' writers in the same batch keeps the right accounts", () => {
    const both = fixture.sqlite
      .prepare(
        `SELECT f0.openid AS x, f1.openid AS y, f0.person_id AS person FROM followers f0
           JOIN followers f1 ON f1.person_id = f0.person_id AND f1.account_id = @b AND f1.subscribed = 1
          WHERE f0.account_id = @a AND f0.subscribed = 1 LIMIT 1`,
      )
      .get({ a: fixture.ids.get(accounts[0]!.appid), b: fixture.ids.get(accounts[1]!.appid) }) as {
      x: string;
      y: string;
      person: number;
    };
    const [a, b] = [0, 1].map((i) => receiver.accounts.get(accounts[i]!.appid)!);
    const t = Math.floor(Date.now() / 1000);
    const event = (fromUser: string, name: string, createTime: number) => ({
      toUserName: "gh_x",
      fromUser,
      createTime,
      msgType: "event",
      event: name,
      eventKey: null,
    });
    const results = receiver.applier.applyBatch([
      { account: a!, message: event(both.x, "unsubscribe", t), mode: "plain", now: Date.now() },
      { account: b!, message: event(both.y, "unsubscribe", t), mode: "plain", now: Date.now() },
      { account: a!, message: event(both.x, "subscribe", t + 1), mode: "plain", now: Date.now() },
    ]);
    expect(results.map((r) => r.outcome)).toEqual(["applied", "applied", "applied"]);
    const mask2 = () =>
      fixture.sqlite.prepare("SELECT accounts_mask FROM people WHERE id = ?").pluck().get(both.person);
    const mask = mask2();
    expect(mask).toBe(1 << a!.slot);
    expect(peopleDrift(fixture.sqlite)).toEqual(NO_DRIFT);
    // Back to what the simulator says (it never heard of these events).
    receiver.applier.applyBatch([
      { account: b!, message: event(both.y, "subscribe", t + 1), mode: "plain", now: Date.now() },
    ]);
    expect(mask2()).toBe((1 << a!.slot) | (1 << b!.slot));
  });
});

describe("a sync running while pushes arrive", () => {
  it("does not mark unfollowed a follow pushed after its listing began; a later sync does if WeChat no longer lists it", async () => {
    const account = receiver.accounts.get(accounts[0]!.appid)!;
    const sim0 = accounts[0]!;
    // An openid WeChat's list will not contain (as if it followed after the list was read).
    const openid = "oFollowedDuringSync";
    const timestamp = String(Math.floor(Date.now() / 1000));
    const query = new URLSearchParams({
      signature: pushSignature(account.token, timestamp, "1"),
      timestamp,
      nonce: "1",
    });
    const xml = `<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>`;
    const plainMode = { ...account, aesKey: null };
    expect((await receivePush(plainMode, query, xml, Date.now(), receiver.deps)).status).toBe(200);
    await receiver.batcher.idle();
    const subscribed = () =>
      fixture.sqlite
        .prepare("SELECT subscribed FROM followers WHERE account_id = ? AND openid = ?")
        .pluck()
        .get(account.id, openid);

    const startedBefore = Date.now() - 60_000;
    await syncOnce(fixture, sim.url, sim0, "full", { now: () => startedBefore });
    expect(subscribed()).toBe(1);

    await syncOnce(fixture, sim.url, sim0, "full");
    expect(subscribed()).toBe(0);
    await expectTruth();
  });
});
