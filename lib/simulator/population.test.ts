import { describe, expect, it } from "vitest";
import { IdCodec } from "./ids";
import { Simulator } from "./simulator";

function snapshot(sim: Simulator) {
  return {
    accounts: sim.accounts(),
    truth: sim.truth(),
    followers: sim.accounts().map((a) => sim.followers(a.appid, { limit: 50 }).openids),
    unsubscribed: sim.accounts().map((a) => sim.followers(a.appid, { subscribed: false, limit: 20 }).openids),
    people: sim.population.people,
  };
}

describe("population", () => {
  it("is the same for the same seed and different for another", () => {
    const options = { accounts: 3, followers: [500, 300, 200], overlap: 0.4 };
    const a = snapshot(new Simulator({ ...options, seed: 42 }));
    const b = snapshot(new Simulator({ ...options, seed: 42 }));
    const c = snapshot(new Simulator({ ...options, seed: 43 }));
    expect(b).toStrictEqual(a);
    expect(c.accounts[0]!.appid).not.toBe(a.accounts[0]!.appid);
    expect(c.followers).not.toStrictEqual(a.followers);
  });

  it("gives each account exactly its followers plus the unsubscribed share", () => {
    const sim = new Simulator({ seed: 1, accounts: 4, followers: [1000, 10, 0, 333], unsubscribed: 0.2 });
    expect(sim.truth().accounts.map((a) => a.subscribed)).toStrictEqual([1000, 10, 0, 333]);
    expect(sim.population.accounts.map((a) => a.follows.length)).toStrictEqual([1250, 13, 0, 416]);
  });

  it("makes credentials shaped like WeChat's", () => {
    const sim = new Simulator({ seed: 2, accounts: 4 });
    for (const [i, account] of sim.accounts().entries()) {
      expect(account.appid).toMatch(/^wx[0-9a-f]{16}$/);
      expect(account.secret).toMatch(/^[0-9a-f]{32}$/);
      expect(account.originalId).toMatch(/^gh_[0-9a-f]{12}$/);
      expect(account.encodingAESKey).toMatch(/^[A-Za-z0-9]{43}$/);
      expect(account.pushToken).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(account.name).toBe(`演示服务号 ${i + 1}`);
      expect(account.bound).toBe(i < 3);
    }
  });

  it("has people following several accounts, about as many as `overlap` asks", () => {
    const sim = new Simulator({
      seed: 3,
      accounts: 4,
      unbound: 0,
      followers: 5000,
      overlap: 0.35,
      noUnionid: 0,
    });
    const perPerson = sim.truth().accountsPerPerson;
    const people = Object.values(perPerson).reduce((a, b) => a + b, 0);
    const multi = people - (perPerson["1"] ?? 0);
    expect(multi / people).toBeGreaterThan(0.25);
    expect(multi / people).toBeLessThan(0.45);
  });

  it("refuses impossible options", () => {
    expect(() => new Simulator({ accounts: 0 })).toThrow(RangeError);
    expect(() => new Simulator({ accounts: 33 })).toThrow(RangeError);
    expect(() => new Simulator({ accounts: 2, followers: [1, 2, 3] })).toThrow(RangeError);
    expect(() => new Simulator({ overlap: 1 })).toThrow(RangeError);
    expect(() => new Simulator({ accounts: 2, unbound: 3 })).toThrow(RangeError);
  });
});

describe("openid codec", () => {
  it("round-trips indices through 28-character ids and rejects anything else", () => {
    const codec = new IdCodec(123);
    const other = new IdCodec(124);
    const seen = new Set<string>();
    for (const index of [0, 1, 2, 999, 65_535, 65_536, 1_000_000, 4_294_967_295]) {
      const id = codec.encode(index);
      expect(id).toMatch(/^o[A-Za-z0-9_-]{27}$/);
      expect(id.startsWith(codec.prefix)).toBe(true);
      expect(codec.decode(id)).toBe(index);
      expect(other.decode(id)).toBe(-1);
      seen.add(id);
    }
    expect(seen.size).toBe(8);
    const id = codec.encode(77);
    for (let i = 6; i < id.length; i++) {
      const flipped = id.slice(0, i) + (id[i] === "A" ? "B" : "A") + id.slice(i + 1);
      expect(codec.decode(flipped)).toBe(-1);
    }
    expect(codec.decode("")).toBe(-1);
    expect(codec.decode(`${id}x`)).toBe(-1);
  });
});
