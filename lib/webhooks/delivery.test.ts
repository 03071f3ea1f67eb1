import { spawn } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { db, schema, sqlite } from "@/lib/db";
import { FollowerWriter, type BatchCounts } from "@/lib/followers/writer";
import { addTestAccount, useTempDatabase } from "@/lib/testing/temp-db";
import type { UserInfo } from "@/lib/wechat/schemas";
import { WebhookDelivery } from "./delivery";
import { createWebhook, createWebhookSchema, openWebhookSecret, redeliver } from "./endpoints";
import { isPrivateAddress } from "./ssrf";
import { startReceiver } from "./testing";

let cleanup: () => void;
let receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];
let accounts: { id: string; slot: number }[];
let clock: number;
let secret = "";

beforeEach(() => {
  cleanup = useTempDatabase();
  process.env.UNIONVIEW_WEBHOOK_ALLOW_PRIVATE = "1";
  clock = 1_800_000_000_000;
  const ids = ["wxaaaaaaaaaaaaaaaa", "wxbbbbbbbbbbbbbbbb"].map((appid) => addTestAccount(appid));
  accounts = ids.map((id) => ({
    id,
    slot: sqlite().prepare("SELECT slot FROM accounts WHERE id = ?").pluck().get(id) as number,
  }));
});
afterEach(async () => {
  for (const r of receivers) await r.close();
  receivers = [];
  cleanup();
});

/** As a finished first sync leaves it: from now on the account's changes are announced. */
function markSynced(i: number) {
  sqlite()
    .prepare(
      "INSERT INTO account_counts (account_id, last_sync_at) VALUES (?, ?) ON CONFLICT (account_id) DO UPDATE SET last_sync_at = excluded.last_sync_at",
    )
    .run(accounts[i]!.id, clock);
}

const user = (openid: string, unionid?: string): UserInfo => ({
  subscribe: 1,
  openid,
  unionid,
  subscribe_time: 1_700_000_000,
});

function write(i: number, users: UserInfo[], unfollow: string[] = []) {
  const writer = new FollowerWriter(sqlite(), { ...accounts[i]!, bound: true }, () => clock);
  const counts: BatchCounts = { newFollowers: 0, returned: 0, updated: 0, unfollowed: 0 };
  sqlite().transaction(() => {
    writer.applyProfiles(users, counts);
    writer.markUnfollowed(unfollow, counts);
    writer.flush();
  })();
}

async function endpoint(events = ["person.followed", "person.unfollowed", "person.linked"]) {
  let mine = "";
  const receiver = await startReceiver(() => mine);
  receivers.push(receiver);
  const created = await createWebhook(createWebhookSchema.parse({ url: receiver.url, events }), null);
  if (!created.ok) throw new Error(created.reason);
  mine = secret = created.secret;
  return { receiver, id: created.id, secret: created.secret };
}

const worker = (options: Partial<ConstructorParameters<typeof WebhookDelivery>[0]> = {}) =>
  new WebhookDelivery({
    sqlite: sqlite(),
    openSecret: openWebhookSecret,
    allowPrivate: true,
    now: () => clock,
    ...options,
  });

const deliveries = () =>
  sqlite()
    .prepare(
      `SELECT d.id, d.status, d.attempts, d.next_attempt_at AS next, d.last_attempt_at AS last, d.last_status AS lastStatus,
              d.last_error AS error, o.msg_id AS msgId, o.type, o.openid
         FROM webhook_deliveries d JOIN outbox o ON o.id = d.outbox_id ORDER BY d.id`,
    )
    .all() as {
    id: number;
    status: string;
    attempts: number;
    next: number;
    last: number;
    lastStatus: number | null;
    error: string | null;
    msgId: string;
    type: string;
    openid: string;
  }[];

describe("webhook events", () => {
  it("tells of follows, links and unfollows, signed so that the standardwebhooks library verifies them", async () => {
    markSynced(0);
    markSynced(1);
    const { receiver } = await endpoint();
    const onlyUnfollows = await endpoint(["person.unfollowed"]);
    write(0, [user("oA_li", "uLi")]);
    write(1, [user("oB_li", "uLi")]);
    write(0, [], ["oA_li"]);
    expect(await worker().drainDue()).toBe(5);

    expect(receiver.processed.map((r) => [r.type, r.body.data.openid])).toEqual([
      ["person.followed", "oA_li"],
      ["person.followed", "oB_li"],
      ["person.linked", "oB_li"],
      ["person.unfollowed", "oA_li"],
    ]);
    expect(receiver.all.every((r) => r.verified)).toBe(true);
    const personId = receiver.processed[0]!.body.data.personId;
    expect(receiver.processed[2]!.body).toEqual({
      id: receiver.processed[2]!.id,
      type: "person.linked",
      createdAt: new Date(clock).toISOString(),
      data: {
        appid: "wxbbbbbbbbbbbbbbbb",
        openid: "oB_li",
        unionid: "uLi",
        personId,
        subscribed: true,
        subscribeTime: new Date(1_700_000_000_000).toISOString(),
      },
    });
    expect(onlyUnfollows.receiver.processed.map((r) => r.type)).toEqual(["person.unfollowed"]);
    // The library does refuse a signature made with another secret (the check above can fail).
    const raw = JSON.stringify(receiver.processed[0]!.body);
    expect(() =>
      new Webhook(onlyUnfollows.secret).verify(raw, {
        "webhook-id": receiver.processed[0]!.id,
        "webhook-timestamp": String(Math.floor(clock / 1000)),
        "webhook-signature": "v1,AAAA",
      }),
    ).toThrow();
    expect(deliveries().every((d) => d.status === "delivered" && d.attempts === 1)).toBe(true);
  });

  it("sends nothing for an account's first import, nor when no endpoint wants the event", async () => {
    await endpoint(["person.linked"]);
    write(0, [user("oA_1", "u1"), user("oA_2", "u2")]);
    expect(sqlite().prepare("SELECT count(*) FROM outbox").pluck().get()).toBe(0);
    markSynced(0);
    write(0, [user("oA_3", "u3")]);
    expect(sqlite().prepare("SELECT count(*) FROM outbox").pluck().get()).toBe(0);
  });

  it("a follower change that rolls back leaves no event behind", async () => {
    markSynced(0);
    await endpoint();
    const writer = new FollowerWriter(sqlite(), { ...accounts[0]!, bound: true }, () => clock);
    expect(() =>
      sqlite().transaction(() => {
        writer.applyProfiles([user("oA_x", "ux")], {
          newFollowers: 0,
          returned: 0,
          updated: 0,
          unfollowed: 0,
        });
        throw new Error("crash before commit");
      })(),
    ).toThrow();
    expect(sqlite().prepare("SELECT count(*) FROM outbox").pluck().get()).toBe(0);
    expect(sqlite().prepare("SELECT count(*) FROM webhook_deliveries").pluck().get()).toBe(0);
  });
});

describe("delivery", () => {
  it("retries a failed delivery with back-off (first retry within 30 s) under the same webhook-id", async () => {
    markSynced(0);
    const { receiver } = await endpoint();
    write(0, [user("oA_1", "u1")]);
    receiver.state.mode = "fail";
    const w = worker();
    await w.drainDue();
    let [d] = deliveries();
    expect(d).toMatchObject({ status: "pending", attempts: 1, lastStatus: 503 });
    expect(d!.next - d!.last).toBeGreaterThan(0);
    expect(d!.next - d!.last).toBeLessThanOrEqual(30_000);
    expect(await w.drainDue()).toBe(0); // not due yet
    clock = d!.next;
    await w.drainDue();
    [d] = deliveries();
    expect(d).toMatchObject({ status: "pending", attempts: 2 });
    receiver.state.mode = "ok";
    clock = d!.next;
    await w.drainDue();
    expect(deliveries()[0]).toMatchObject({ status: "delivered", attempts: 3, lastStatus: 204 });
    expect(receiver.all.map((r) => r.id)).toEqual([d!.msgId, d!.msgId, d!.msgId]);
    expect(receiver.all.every((r) => r.verified)).toBe(true);
    expect(receiver.processed).toHaveLength(1);
  });

  it("gives up after 24 hours of retries (failed), and redeliver sends it again under the same id", async () => {
    markSynced(0);
    const { receiver, id } = await endpoint();
    const created = clock;
    write(0, [user("oA_1", "u1")]);
    receiver.state.mode = "fail";
    const w = worker();
    for (let i = 0; i < 100 && deliveries()[0]!.status === "pending"; i++) {
      await w.drainDue();
      clock = Math.max(clock, deliveries()[0]!.next);
    }
    const [d] = deliveries();
    expect(d!.status).toBe("failed");
    expect(d!.last - created).toBeLessThanOrEqual(24 * 3_600_000);
    expect(d!.last - created).toBeGreaterThan(12 * 3_600_000);
    const attempts = d!.attempts;
    expect(attempts).toBeGreaterThan(5);
    receiver.state.mode = "ok";
    expect(redeliver(id, d!.id, null, sqlite(), clock)).toBe(true);
    await w.drainDue();
    expect(deliveries()[0]).toMatchObject({ status: "delivered", attempts: attempts + 1 });
    expect(receiver.processed.map((r) => r.id)).toEqual([d!.msgId]);
    expect(
      db()
        .select({ action: schema.auditLog.action })
        .from(schema.auditLog)
        .all()
        .map((a) => a.action),
    ).toEqual(["webhook.created", "webhook.redelivered"]);
  });

  it("after a receiver outage of a minute, everything is delivered, in order per person", async () => {
    markSynced(0);
    markSynced(1);
    const { receiver } = await endpoint();
    receiver.state.mode = "fail";
    const w = worker();
    // A minute of changes for five people across both accounts, the worker trying every 5 s.
    for (let second = 0; second < 60; second += 5) {
      for (let p = 0; p < 5; p++) {
        const step = second / 5;
        const account = (p + step) % 2;
        const openid = `o${account}_${p}`;
        if (step % 3 === 2) write(account, [], [openid]);
        else write(account, [user(openid, `u${p}`)]);
      }
      await w.drainDue();
      clock += 5_000;
    }
    const total = deliveries().length;
    expect(total).toBeGreaterThan(30);
    expect(receiver.processed).toHaveLength(0);
    receiver.state.mode = "ok";
    // Time runs on to each next retry (the ones waiting behind an earlier event of their person are not due).
    for (let i = 0; i < 200 && deliveries().some((d) => d.status === "pending"); i++) {
      if ((await w.drainDue()) > 0) continue;
      const later = deliveries().filter((d) => d.status === "pending" && d.next > clock);
      if (later.length) clock = Math.min(...later.map((d) => d.next));
    }
    expect(deliveries().filter((d) => d.status !== "delivered")).toEqual([]);
    expect(receiver.processed).toHaveLength(total);
    // Per person (unionid), the events arrive in the order they were written.
    const written = deliveries();
    for (let p = 0; p < 5; p++) {
      const expected = written.filter((d) => d.openid.endsWith(`_${p}`)).map((d) => d.msgId);
      const got = receiver.processed.filter((r) => r.body.data.unionid === `u${p}`).map((r) => r.id);
      expect(got).toEqual(expected);
    }
  });

  it("a worker killed between commit and delivery: the event is still delivered, once to a receiver deduplicating by id", async () => {
    markSynced(0);
    const { receiver } = await endpoint();
    receiver.state.mode = "hang";
    // node itself (not the tsx wrapper, whose SIGKILL would leave its node child delivering on).
    const child = spawn(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        "lib/webhooks/kill-test-child.ts",
        accounts[0]!.id,
        String(accounts[0]!.slot),
        "oA_killed",
      ],
      { env: process.env, stdio: ["ignore", "pipe", "inherit"] },
    );
    await receiver.waitFor(1); // committed, claimed and sent: the receiver holds the request
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(deliveries()[0]).toMatchObject({ status: "pending", attempts: 0 });
    receiver.state.mode = "ok";
    // Its lease (1 s) runs out; another worker takes the delivery over.
    clock = Date.now() + 2_000;
    await worker().drainDue();
    expect(deliveries()[0]).toMatchObject({ status: "delivered", attempts: 1 });
    expect(receiver.all.map((r) => r.id)).toEqual([deliveries()[0]!.msgId, deliveries()[0]!.msgId]);
    expect(receiver.processed).toHaveLength(1);
  }, 30_000);
});

describe("safety", () => {
  it("refuses URLs that are not http(s), carry credentials, or point at loopback/private networks", async () => {
    process.env.UNIONVIEW_WEBHOOK_ALLOW_PRIVATE = "0";
    const { resetProcessCaches } = await import("@/lib/testing/temp-db");
    resetProcessCaches();
    for (const url of [
      "ftp://example.com/x",
      "javascript:alert(1)",
      "http://user:pw@example.com/",
      "not a url",
    ])
      expect(createWebhookSchema.safeParse({ url, events: ["person.followed"] }).success, url).toBe(false);
    for (const url of [
      "http://127.0.0.1:9/x",
      "http://localhost/x",
      "http://10.1.2.3/",
      "http://[::1]/",
      "http://169.254.169.254/latest",
    ]) {
      const outcome = await createWebhook(
        createWebhookSchema.parse({ url, events: ["person.followed"] }),
        null,
      );
      expect(outcome, url).toEqual({ ok: false, reason: "private" });
    }
    for (const ip of [
      "192.168.1.1",
      "172.20.0.1",
      "100.64.0.1",
      "::ffff:127.0.0.1",
      "fd00::1",
      "fe80::1",
      "0.0.0.0",
    ])
      expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"])
      expect(isPrivateAddress(ip), ip).toBe(false);
  });

  it("delivery re-checks the address (private refused without the switch), never follows a redirect, caps the answer and times out", async () => {
    markSynced(0);
    const { receiver } = await endpoint();
    const elsewhere = await startReceiver(() => secret);
    receivers.push(elsewhere);
    write(0, [user("oA_1", "u1")]);
    await worker({ allowPrivate: false }).drainDue();
    expect(deliveries()[0]).toMatchObject({
      status: "pending",
      lastStatus: null,
      error: expect.stringMatching(/private/),
    });
    expect(receiver.all).toHaveLength(0);

    receiver.state.mode = (_req, res) => res.writeHead(302, { location: elsewhere.url }).end();
    clock = deliveries()[0]!.next;
    await worker().drainDue();
    expect(deliveries()[0]).toMatchObject({
      status: "pending",
      lastStatus: 302,
      error: expect.stringMatching(/redirect/),
    });
    expect(elsewhere.all).toHaveLength(0);

    receiver.state.mode = "hang";
    clock = deliveries()[0]!.next;
    await worker({ timeoutMs: 300 }).drainDue();
    expect(deliveries()[0]).toMatchObject({
      status: "pending",
      lastStatus: null,
      error: "No answer within 0.3 s.",
    });

    receiver.state.mode = (_req, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 120);
      const more = () => {
        while (res.write(chunk));
        res.once("drain", more);
      };
      more();
    };
    clock = deliveries()[0]!.next;
    await worker({ maxResponseBytes: 100_000 }).drainDue();
    expect(deliveries()[0]).toMatchObject({ status: "delivered", lastStatus: 200 });
  });
});
