import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { deleteAccountData } from "@/lib/followers/account-data";
import { FollowerWriter, type AccountRef } from "@/lib/followers/writer";
import type { UserInfo } from "@/lib/wechat/schemas";
import { PushApplier } from "./apply";
import { GroupCommit } from "./group-commit";
import type { PushMessage } from "./xml";
import { NO_DRIFT, maintainedFigures, peopleDrift, recountedFigures } from "@/lib/followers/testing";
import { accountsFixture } from "@/lib/testing/temp-db";

/** Event orderings and failures the push path must survive with its counts exact. */
const accounts = [{ appid: "wxa", secret: "s", name: "A", bound: true }];
const slots = new Map([[0, "wxa"]]);
let fixture: ReturnType<typeof accountsFixture>;
afterEach(() => fixture?.cleanup());

function setup() {
  fixture = accountsFixture(accounts);
  const ref: AccountRef = { id: fixture.ids.get("wxa")!, slot: 0, bound: true };
  const seed = (users: UserInfo[]) => {
    const writer = new FollowerWriter(fixture.sqlite, ref, () => 1_700_000_000_000);
    fixture.sqlite.transaction(() => {
      writer.applyProfiles(users, { newFollowers: 0, returned: 0, updated: 0, unfollowed: 0 });
      writer.flush();
    })();
  };
  const message = (fromUser: string, event: string, createTime: number): PushMessage => ({
    toUserName: "gh_test",
    fromUser,
    createTime,
    msgType: "event",
    event,
    eventKey: null,
  });
  const subscribed = (openid: string) =>
    fixture.sqlite
      .prepare("SELECT subscribed FROM followers WHERE account_id = ? AND openid = ?")
      .pluck()
      .get(ref.id, openid) as number | undefined;
  const expectExact = () => {
    expect(peopleDrift(fixture.sqlite)).toEqual(NO_DRIFT);
    expect(maintainedFigures(fixture.sqlite, slots)).toEqual(recountedFigures(fixture.sqlite, slots));
  };
  return { ref, seed, message, subscribed, expectExact };
}

const user = (openid: string, unionid: string): UserInfo => ({
  subscribe: 1,
  openid,
  unionid,
  subscribe_time: 1_699_000_000,
  subscribe_scene: "ADD_SCENE_SEARCH",
  tagid_list: [],
});

describe("PushApplier", () => {
  // An unsubscribe (t=90) whose first delivery was lost is retried by WeChat after the follower's
  // re-subscribe (t=100) was received. The re-subscribe changed nothing (the row still said
  // subscribed), so it was stored as "noop" — but it still says the follower follows at t=100, and the
  // late unsubscribe is older than that.
  it("treats a late unsubscribe as stale after a newer subscribe that changed nothing", () => {
    const { ref, seed, message, subscribed, expectExact } = setup();
    seed([user("o1", "u1")]);
    const applier = new PushApplier(fixture.sqlite);
    const now = 1_700_000_100_000;
    expect(applier.apply(ref, message("o1", "subscribe", 1_700_000_100), "plain", now).outcome).toBe("noop");
    const late = applier.apply(ref, message("o1", "unsubscribe", 1_700_000_090), "plain", now + 6000);
    expect(late.outcome).toBe("stale");
    expect(subscribed("o1")).toBe(1);
    expectExact();
  });

  // The subscribe that asked for a profile and the fetch's start can share a millisecond: by time the
  // subscribe looked "after the fetch" and its own profile was dropped, leaving the follower without
  // a unionid until the next sync. Events are told apart by the event log's mark instead.
  it("applies the profile a subscribe asked for even when both fall in the same millisecond", () => {
    const { ref, message, expectExact } = setup();
    const applier = new PushApplier(fixture.sqlite);
    const now = 1_700_000_200_000;
    applier.apply(ref, message("o6", "subscribe", 1_700_000_200), "plain", now);
    applier.apply(ref, message("o7", "subscribe", 1_700_000_200), "plain", now);
    const mark = applier.eventMark();
    // o7 leaves while the fetch is out, in that same millisecond: its (older) profile is not applied.
    applier.apply(ref, message("o7", "unsubscribe", 1_700_000_201), "plain", now);
    expect(applier.applyProfiles(ref, [user("o6", "u6"), user("o7", "u7")], mark, now)).toBe(1);
    const unionid = (openid: string) =>
      fixture.sqlite.prepare("SELECT unionid FROM followers WHERE openid = ?").pluck().get(openid);
    expect([unionid("o6"), unionid("o7")]).toEqual(["u6", null]);
    expectExact();
  });

  // A subscribe asks for the profile (fetched ~100 ms later, longer on retries); the account is
  // deleted meanwhile. The fetched profile must not bring back a follower, a person with the freed
  // slot's bit, or counts for the deleted account.
  it("drops profiles fetched for an account deleted while they were fetched", () => {
    const { ref, message, expectExact } = setup();
    const applier = new PushApplier(fixture.sqlite);
    const now = 1_700_000_100_000;
    applier.apply(ref, message("o4", "subscribe", 1_700_000_100), "plain", now);
    const mark = applier.eventMark();
    fixture.sqlite
      .transaction(() => {
        deleteAccountData(fixture.sqlite, ref.id, ref.slot);
        fixture.sqlite.prepare("DELETE FROM accounts WHERE id = ?").run(ref.id);
      })
      .immediate();
    expectExact();
    applier.applyProfiles(ref, [user("o4", "u4")], mark, now + 500);
    const count = (sql: string) => fixture.sqlite.prepare(sql).pluck().get() as number;
    expect(count("SELECT count(*) FROM followers")).toBe(0);
    expect(count("SELECT count(*) FROM people")).toBe(0);
    expect(count("SELECT count(*) FROM account_counts")).toBe(0);
  });

  // A group-commit batch that fails on one event is rolled back and its events applied one by one.
  // The rolled-back attempt must leave nothing behind in the writer (cached masks, count deltas),
  // or the next commit writes those deltas a second time.
  it("counts exactly after a group commit is rolled back and retried one by one", async () => {
    const { ref, message, subscribed, expectExact } = setup();
    // Stands for any failure inside the transaction (disk full, I/O error) on one event's insert.
    fixture.sqlite.exec(
      `CREATE TRIGGER fail_boom BEFORE INSERT ON push_events WHEN NEW.from_user = 'boom'
         BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END`,
    );
    const applier = new PushApplier(fixture.sqlite);
    const commits = new GroupCommit(applier);
    const now = 1_700_000_100_000;
    const results = await Promise.allSettled([
      commits.apply({ account: ref, message: message("o2", "subscribe", 1_700_000_100), mode: "plain", now }),
      commits.apply({
        account: ref,
        message: message("boom", "subscribe", 1_700_000_100),
        mode: "plain",
        now,
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(subscribed("o2")).toBe(1);
    expect(subscribed("boom")).toBeUndefined();
    expectExact();
    // And the failed event's own changes are not written by the next commit either.
    applier.apply(ref, message("o3", "subscribe", 1_700_000_101), "plain", now + 1000);
    expectExact();
  });

  it("with a window, a steady stream of events (one per event-loop turn) is committed together, each answered after its commit", async () => {
    const { ref, message, subscribed, expectExact } = setup();
    const applier = new PushApplier(fixture.sqlite);
    const batches: number[] = [];
    const applyBatch = applier.applyBatch.bind(applier);
    applier.applyBatch = (items) => {
      batches.push(items.length);
      return applyBatch(items);
    };
    const now = 1_700_000_200_000;
    const send = (commits: GroupCommit, openid: string) =>
      commits.apply({
        account: ref,
        message: message(openid, "subscribe", 1_700_000_200),
        mode: "plain",
        now,
      });
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    // Without a window, events a turn apart are committed one by one.
    const immediate = new GroupCommit(applier);
    const alone = [send(immediate, "s1")];
    await turn();
    alone.push(send(immediate, "s2"));
    await Promise.all(alone);
    expect(batches).toEqual([1, 1]);
    // With a 5 ms window they share one commit, and no reply comes before it (the clock is faked, so
    // this machine's speed does not matter).
    batches.length = 0;
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    onTestFinished(() => void vi.useRealTimers());
    const windowed = new GroupCommit(applier, 500, 5);
    let answered = 0;
    const replies = ["w1", "w2"].map((o) => send(windowed, o).then((r) => (answered++, r)));
    await turn();
    replies.push(send(windowed, "w3").then((r) => (answered++, r)));
    vi.advanceTimersByTime(4);
    await turn();
    expect([answered, subscribed("w1"), batches]).toEqual([0, undefined, []]);
    vi.advanceTimersByTime(1);
    const results = await Promise.all(replies);
    expect(batches).toEqual([3]);
    expect(results.map((r) => r.outcome)).toEqual(["applied", "applied", "applied"]);
    // A full batch does not wait for the window.
    batches.length = 0;
    const small = new GroupCommit(applier, 2, 60_000);
    await Promise.all([send(small, "f1"), send(small, "f2")]);
    expect(batches).toEqual([2]);
    expectExact();
  });
});
