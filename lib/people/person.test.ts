import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncedPushFixture } from "@/lib/push/testing";
import type { PushResult } from "@/lib/simulator";
import { syncOnce } from "@/lib/sync/testing";
import { personDetail, type TimelineEntry } from "./person";

let env: Awaited<ReturnType<typeof syncedPushFixture>>;
beforeAll(async () => {
  env = await syncedPushFixture({ seed: 11, accounts: 2, followers: [120, 80], unbound: 0 });
});
afterAll(() => env?.close());

function subscribedOpenids(appid: string, count: number): string[] {
  return env.fixture.sqlite
    .prepare("SELECT openid FROM followers WHERE account_id = ? AND subscribed = 1 ORDER BY openid LIMIT ?")
    .pluck()
    .all(env.fixture.ids.get(appid), count) as string[];
}

function timelineOf(appid: string, openid: string): TimelineEntry[] {
  const personId = env.fixture.sqlite
    .prepare("SELECT person_id FROM followers WHERE account_id = ? AND openid = ?")
    .pluck()
    .get(env.fixture.ids.get(appid), openid) as number;
  return personDetail(env.fixture.sqlite, personId)!.timeline.filter((e) => e.appid === appid);
}

/** What each entry says happened, e.g. "sync:unfollowed", "push:unsubscribe", "left". */
const said = (timeline: TimelineEntry[]) =>
  timeline.map((e) =>
    e.kind === "sync" ? `sync:${e.change}` : e.kind === "push" ? `push:${e.event}` : e.kind,
  );

describe("person timeline", () => {
  it("an unfollow found by a sync appears once, as that sync's change", async () => {
    const a = env.accounts[0]!;
    const [openid] = subscribedOpenids(a.appid, 1);
    await env.admin("/__sim/unfollow", { appid: a.appid, openids: [openid] });
    await syncOnce(env.fixture, env.sim.url, a, "incremental");
    expect(said(timelineOf(a.appid, openid!))).toEqual(["sync:unfollowed", "followed"]);
  });

  it("a pushed unsubscribe and a pushed follow appear once each, as the pushes", async () => {
    const b = env.accounts[1]!;
    const [leaving] = subscribedOpenids(b.appid, 1);
    const left = await env.admin<PushResult>("/__sim/push", {
      appid: b.appid,
      url: env.receiver.url(b.appid),
      event: "unsubscribe",
      mode: "safe",
      openid: leaving,
    });
    expect(left.status).toBe(200);
    expect(said(timelineOf(b.appid, leaving!))).toEqual(["push:unsubscribe", "followed"]);

    const joined = await env.admin<PushResult>("/__sim/push", {
      appid: b.appid,
      url: env.receiver.url(b.appid),
      event: "subscribe",
      mode: "safe",
    });
    expect(joined.status).toBe(200);
    await env.receiver.batcher.idle();
    expect(said(timelineOf(b.appid, joined.openid))).toEqual(["push:subscribe"]);
  });

  it("keeps the follower row's own leaving time when nothing else records it", async () => {
    const a = env.accounts[0]!;
    const [openid] = subscribedOpenids(a.appid, 1);
    await env.admin("/__sim/unfollow", { appid: a.appid, openids: [openid] });
    await syncOnce(env.fixture, env.sim.url, a, "incremental");
    // As when the change list of that run is no longer kept.
    env.fixture.sqlite.prepare("DELETE FROM sync_changes WHERE openid = ?").run(openid);
    expect(said(timelineOf(a.appid, openid!))).toEqual(["left", "followed"]);
  });
});
