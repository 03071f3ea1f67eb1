import { afterEach, beforeEach, expect, it } from "vitest";
import { sqlite } from "@/lib/db";
import { addTestAccount, useTempDatabase } from "@/lib/testing/temp-db";
import { prunePushEvents } from "./retention";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1);
let cleanup: () => void;
beforeEach(() => {
  cleanup = useTempDatabase();
});
afterEach(() => cleanup());

const account = (appid: string) => addTestAccount(appid);

function addEvents(accountId: string, ages: number[]) {
  const insert = sqlite().prepare(
    `INSERT INTO push_events (account_id, from_user, create_time, event, outcome, mode, received_at)
     VALUES (?, ?, ?, 'subscribe', 'applied', 'safe', ?)`,
  );
  ages.forEach((days, i) => insert.run(accountId, `o${i}`, i, NOW - days * DAY));
}

const ages = (accountId: string) =>
  (
    sqlite()
      .prepare("SELECT received_at FROM push_events WHERE account_id = ? ORDER BY received_at")
      .pluck()
      .all(accountId) as number[]
  ).map((at) => (NOW - at) / DAY);

it("deletes every account's events older than the retention, in chunks, and keeps the rest", () => {
  const a = account("wx00000000000000a1");
  const b = account("wx00000000000000b2");
  addEvents(a, [400, 200, 181, 180, 179, 1, 0]);
  addEvents(b, [1000, 999, 998, 997, 996, 995, 994, 5]);
  expect(prunePushEvents(sqlite(), 180, NOW, 2)).toBe(3 + 7);
  expect(ages(a)).toEqual([180, 179, 1, 0]);
  expect(ages(b)).toEqual([5]);
  expect(prunePushEvents(sqlite(), 180, NOW, 2)).toBe(0);
});

it("keeps everything when the retention is 0", () => {
  const a = account("wx00000000000000c3");
  addEvents(a, [5000, 1]);
  expect(prunePushEvents(sqlite(), 0, NOW)).toBe(0);
  expect(ages(a)).toHaveLength(2);
});
