/**
 * The sync engine without HTTP: runSync against a stand-in client that answers user/get and batchget
 * from an in-process simulator's profiles, so the engine's own cost (SQLite, the writer, staging,
 * finalising) can be measured and profiled apart from fetching. Not part of bench:sync's figures.
 *
 *   npx tsx --conditions=react-server bench/sync/writes.ts [followers=200000]
 *   PRAGMA="cache_size=-131072;…" DROP="index,…" CHUNK=5000 to try what-ifs
 *   MODE=fetch   only the stand-in fetches (what the rest costs without SQLite)
 *   MODE=floor   the same rows written the cheapest way: one INSERT per person and per follower,
 *                CHUNK per transaction, no lookups, no staging, no counts (SQLite's own floor)
 */
import { Simulator } from "@/lib/simulator";
import { profileOf } from "@/lib/simulator/profile";
import { runSync, type RunOutcome } from "@/lib/sync/engine";
import { claimRun, enqueueSync, finishRun } from "@/lib/sync/queue";

import type { WeChatClient } from "@/lib/wechat/client";
import type { UserInfo } from "@/lib/wechat/schemas";
import { readFileSync } from "node:fs";
import { MB, seconds } from "./shared";
import { accountsFixture } from "@/lib/testing/temp-db";

/** Bytes this process has written so far (write(2) and friends, page cache included). */
const written = () => Number(/wchar: (\d+)/.exec(readFileSync("/proc/self/io", "utf8"))?.[1] ?? 0);

const N = Number(process.argv[2] ?? 200_000);

const sim = new Simulator({ seed: 1, accounts: 1, followers: N });
const account = sim.population.accounts[0]!;
const openids: string[] = [];
const bySlot = new Map<string, number>();
for (let i = 0; i < account.order.length; i++) {
  const slot = account.order.slots[i]!;
  if (!account.follows.isSubscribed(slot)) continue;
  const openid = account.openids.encode(slot);
  openids.push(openid);
  bySlot.set(openid, slot);
}
const PAGE = 10_000;
let calls = 0;
const fake = {
  followers: async (next: string) => {
    calls++;
    const start = next ? openids.indexOf(next) + 1 : 0;
    const data = openids.slice(start, start + PAGE);
    return {
      total: openids.length,
      count: data.length,
      data: data.length ? { openid: data } : undefined,
      next_openid: data.at(-1) ?? "",
    };
  },
  batchGet: async (ids: readonly string[]) => {
    calls += Math.ceil(ids.length / 100);
    await new Promise((resolve) => setImmediate(resolve));
    // A copy through JSON, as a response would be: the writer gets fresh objects, not the simulator's.
    const users = JSON.parse(
      JSON.stringify(ids.map((id) => profileOf(sim.population, account, bySlot.get(id)!))),
    ) as UserInfo[];
    return { users, rejected: [] as string[] };
  },
  tags: async () => account.tags.map((t) => ({ id: t.id, name: t.name, count: 0 })),
} as unknown as WeChatClient;

async function main() {
  const fixture = accountsFixture([
    { appid: account.appid, secret: account.secret, name: account.name, bound: true },
  ]);
  for (const pragma of (process.env.PRAGMA ?? "").split(";").filter(Boolean)) fixture.sqlite.pragma(pragma);
  for (const index of (process.env.DROP ?? "").split(",").filter(Boolean))
    fixture.sqlite.exec(`DROP INDEX ${index}`);
  const accountId = fixture.ids.get(account.appid)!;
  const { runId } = enqueueSync(fixture.sqlite, { accountId, kind: "full", triggeredBy: "bench" });
  claimRun(fixture.sqlite, "bench", Date.now(), 600_000);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const wrote = written();
  const mode = process.env.MODE ?? "engine";
  const chunk = Number(process.env.CHUNK ?? 0) || 20_000;
  let outcome: { status: string } = { status: "done" };
  if (mode === "engine") {
    outcome = await runSync(runId, {
      sqlite: fixture.sqlite,
      client: fake,
      calls: { count: 0 },
      profileChunk: Number(process.env.CHUNK ?? 0) || undefined,
    });
  } else {
    const person = fixture.sqlite.prepare(
      `INSERT INTO people (unionid, accounts_mask, accounts_count, scene_mask, first_follow_at, last_follow_at)
       VALUES (?, 1, 1, 1, ?, ?)`,
    );
    const follower = fixture.sqlite.prepare(
      `INSERT INTO followers (account_id, openid, person_id, unionid, subscribed, subscribe_time, subscribe_scene,
                              qr_scene, qr_scene_str, remark, tag_ids, language, first_seen_at, profile_fetched_at)
       VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < openids.length; i += chunk) {
      const { users } = await fake.batchGet(openids.slice(i, i + chunk));
      if (mode !== "floor") continue;
      const at = Date.now();
      fixture.sqlite.transaction(() => {
        for (const u of users) {
          const t = u.subscribe_time ?? 0;
          const id = person.run(u.unionid ?? null, t, t).lastInsertRowid;
          follower.run(
            accountId,
            u.openid,
            id,
            u.unionid ?? null,
            t,
            u.subscribe_scene ?? null,
            u.qr_scene ?? null,
            u.qr_scene_str || null,
            u.remark || null,
            u.tagid_list?.length ? JSON.stringify(u.tagid_list) : null,
            u.language ?? null,
            at,
            at,
          );
        }
      })();
    }
  }
  const wall = seconds(started);
  const used = process.cpuUsage(cpu);
  if (mode === "engine") finishRun(fixture.sqlite, runId, "bench", outcome as RunOutcome, Date.now());
  console.log(
    JSON.stringify({
      mode,
      status: outcome.status,
      followers: openids.length,
      seconds: Math.round(wall * 100) / 100,
      cpuUsPerFollower: Math.round((used.user + used.system) / openids.length),
      userS: Math.round(used.user / 1e4) / 100,
      sysS: Math.round(used.system / 1e4) / 100,
      writtenMb: Math.round((written() - wrote) / MB),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      heapMb: Math.round(process.memoryUsage().heapUsed / MB),
      calls,
    }),
  );
  fixture.cleanup();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
