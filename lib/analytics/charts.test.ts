import { describe, expect, it } from "vitest";
import { chartData } from "./charts";
import type { AccountFigures, Overview } from "./overview";

const account = (slot: number, over: Partial<AccountFigures> = {}): AccountFigures => ({
  id: `id${slot}`,
  appid: `wx00000${slot}aa`,
  name: `号 ${slot}`,
  slot,
  bound: true,
  disabled: false,
  followers: 10,
  reportedTotal: 10,
  withoutUnionid: 0,
  exclusive: 6,
  shared: 4,
  lastSyncAt: 1,
  stale: false,
  syncing: false,
  ...over,
});

describe("chart data", () => {
  const accounts = [
    account(0),
    account(1),
    account(2, { disabled: true, followers: 0, exclusive: 0, shared: 0 }),
  ];
  const overview: Overview = {
    at: 0,
    accounts,
    summedFollowers: 20,
    uniquePeople: 16,
    duplicateFollows: 4,
    withoutUnionid: { total: 0, unboundAccount: 0, profilePending: 0, notReturned: 0 },
    histogram: [
      { accounts: 1, people: 12 },
      { accounts: 2, people: 4 },
    ],
    pairs: [
      { a: accounts[0]!.appid, b: accounts[1]!.appid, people: 4, shareOfSmaller: 0.4 },
      { a: accounts[0]!.appid, b: accounts[2]!.appid, people: 0, shareOfSmaller: null },
      { a: accounts[1]!.appid, b: accounts[2]!.appid, people: 0, shareOfSmaller: null },
    ],
    lastSyncAt: 1,
    someNeverSynced: false,
    provisional: false,
  };

  it("leaves out a disabled account with no followers, and its pairs", () => {
    const data = chartData(overview);
    expect(data.accounts.map((a) => a.appid)).toEqual([accounts[0]!.appid, accounts[1]!.appid]);
    expect(data.matrix.cells).toHaveLength(1);
  });

  it("gives every bar and cell the link to its people", () => {
    const data = chartData(overview);
    expect(data.accounts[0]).toMatchObject({
      exclusiveHref: `/people?acc=${accounts[0]!.appid}&min=1&max=1`,
      sharedHref: `/people?acc=${accounts[0]!.appid}&min=2`,
    });
    expect(data.matrix.cells[0]!.href).toBe(
      `/people?acc=${accounts[0]!.appid}%2C${accounts[1]!.appid}&match=all`,
    );
    expect(data.histogram.map((h) => h.href)).toEqual(["/people?min=1&max=1", "/people?min=2&max=2"]);
    expect(data.totals).toMatchObject({
      unique: 16,
      duplicated: 4,
      summed: 20,
      duplicatedHref: "/people?min=2",
    });
  });
});
