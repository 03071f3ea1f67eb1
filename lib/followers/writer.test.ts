import { afterEach, describe, expect, it } from "vitest";
import type { UserInfo } from "@/lib/wechat/schemas";
import { FollowerWriter, type AccountRef, type BatchCounts } from "./writer";
import { maintainedFigures, NO_DRIFT, peopleDrift, recountedFigures } from "./testing";
import { accountsFixture } from "@/lib/testing/temp-db";

/**
 * The writer's rarer paths, with profiles made up by hand: a follower changing person (unionid gained,
 * lost or changed), a scene change, a tag change, leaving inside a batch (subscribe 0), returning,
 * and people shared by several accounts. After every batch the maintained data must equal a recount.
 */
const accounts = [
  { appid: "wxa", secret: "s", name: "A", bound: true },
  { appid: "wxb", secret: "s", name: "B", bound: true },
  { appid: "wxc", secret: "s", name: "C", bound: false },
];
let fixture: ReturnType<typeof accountsFixture>;
afterEach(() => fixture?.cleanup());

const user = (openid: string, fields: Partial<UserInfo> = {}): UserInfo => ({
  subscribe: 1,
  openid,
  language: "zh_CN",
  subscribe_time: 1_700_000_000,
  subscribe_scene: "ADD_SCENE_SEARCH",
  tagid_list: [],
  remark: "",
  ...fields,
});

function setup() {
  fixture = accountsFixture(accounts);
  const slots = new Map(accounts.map((a, i) => [i, a.appid]));
  const ref = (i: number): AccountRef => ({
    id: fixture.ids.get(accounts[i]!.appid)!,
    slot: i,
    bound: accounts[i]!.bound,
  });
  const apply = (i: number, users: UserInfo[], unfollow: string[] = []) => {
    const writer = new FollowerWriter(fixture.sqlite, ref(i), () => 1_800_000_000_000);
    const counts: BatchCounts = { newFollowers: 0, returned: 0, updated: 0, unfollowed: 0 };
    fixture.sqlite.transaction(() => {
      writer.applyProfiles(users, counts);
      writer.markUnfollowed(unfollow, counts);
      writer.flush();
    })();
    expect(peopleDrift(fixture.sqlite)).toEqual(NO_DRIFT);
    expect(maintainedFigures(fixture.sqlite, slots)).toEqual(recountedFigures(fixture.sqlite, slots));
    return counts;
  };
  const person = (openid: string) =>
    fixture.sqlite
      .prepare(
        `SELECT p.id, p.unionid, p.accounts_mask AS mask, p.accounts_count AS count, p.scene_mask AS scenes,
                p.first_follow_at AS first, p.last_follow_at AS last
           FROM followers f JOIN people p ON p.id = f.person_id WHERE f.openid = ?`,
      )
      .get(openid) as {
      id: number;
      unionid: string | null;
      mask: number;
      count: number;
      scenes: number;
      first: number;
      last: number;
    };
  return { apply, person };
}

describe("FollowerWriter", () => {
  it("keeps people, masks, scenes, dates and every count exact through moves, leaves and returns", () => {
    const { apply, person } = setup();
    expect(
      apply(0, [
        user("a1", { unionid: "U1", subscribe_time: 1_600_000_000 }),
        user("a2"),
        user("a3", { unionid: "U2", tagid_list: [2, 3], subscribe_scene: "ADD_SCENE_QR_CODE" }),
        user("a4", { unionid: "U3" }),
      ]),
    ).toEqual({ newFollowers: 4, returned: 0, updated: 0, unfollowed: 0 });
    expect(person("a1")).toMatchObject({ unionid: "U1", mask: 1, count: 1, first: 1_600_000_000 });
    expect(person("a2")).toMatchObject({ unionid: null, mask: 1, count: 1 });

    // B shares U1 (earlier and later dates widen the person's span) and U3; C is unbound: own people.
    apply(1, [
      user("b1", { unionid: "U1", subscribe_time: 1_500_000_000, subscribe_scene: "ADD_SCENE_PAID" }),
      user("b3", { unionid: "U3", subscribe_time: 1_650_000_000 }),
      user("b5", { unionid: "U5" }),
    ]);
    apply(2, [user("c1", { unionid: "U1" })]);
    const shared = person("a1");
    expect(person("b1").id).toBe(shared.id);
    expect(shared).toMatchObject({ mask: 0b11, count: 2, first: 1_500_000_000, last: 1_600_000_000 });
    expect(person("c1")).toMatchObject({ unionid: null, mask: 0b100 });
    expect(person("b3")).toMatchObject({ mask: 0b11, last: 1_700_000_000 });

    // a1 loses its unionid (own person now; U1 keeps B), a2 gains U5 (joins b5's person; its own goes),
    // a3 changes scene and tags, a4 leaves inside the batch, an unknown openid arrives unsubscribed.
    expect(
      apply(0, [
        user("a1"),
        user("a2", { unionid: "U5" }),
        user("a3", { unionid: "U2", tagid_list: [3], subscribe_scene: "ADD_SCENE_PAID" }),
        { subscribe: 0, openid: "a4", tagid_list: [] },
        { subscribe: 0, openid: "nobody", tagid_list: [] },
      ]),
    ).toEqual({ newFollowers: 0, returned: 0, updated: 3, unfollowed: 1 });
    expect(person("a1").id).not.toBe(person("b1").id);
    expect(person("b1")).toMatchObject({ mask: 0b10, count: 1 });
    expect(person("a2").id).toBe(person("b5").id);
    expect(person("b3")).toMatchObject({ mask: 0b10, count: 1 });
    expect(person("a3").scenes).toBe(person("b1").scenes); // both ADD_SCENE_PAID only

    // Unfollowed by the finalising step, then back with a unionid: a returning follower.
    apply(1, [], ["b1"]);
    expect(person("b1")).toMatchObject({ mask: 0, count: 0 });
    expect(apply(1, [user("b1", { unionid: "U1" })])).toMatchObject({ returned: 1 });
    expect(person("b1")).toMatchObject({ mask: 0b10, count: 1 });
    expect(apply(0, [user("a4", { unionid: "U3" })])).toMatchObject({ returned: 1 });
    expect(person("a4")).toMatchObject({ mask: 0b11, count: 2 });

    // A tagged follower leaves (its tag rows go) and returns with the same tags: they are current again.
    apply(0, [], ["a3"]);
    expect(
      apply(0, [user("a3", { unionid: "U2", tagid_list: [3], subscribe_scene: "ADD_SCENE_PAID" })]),
    ).toMatchObject({ returned: 1 });
  });
});
