import type Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { rebuildOverlapCounts } from "@/lib/followers/account-data";
import { SCENES, sceneBit } from "@/lib/followers/scenes";

export interface SeedOptions {
  accounts: number;
  followersPerAccount: number;
  /** Share of each account's followers without a unionid (each its own person). */
  noUnionidShare: number;
  /** Share of follows that have been left (subscribed = 0). */
  leftShare: number;
  seed: number;
}

export interface SeedResult {
  followers: number;
  people: number;
  accounts: { id: string; appid: string; slot: number }[];
  tags: { accountId: string; appid: string; tagId: number }[];
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const REMARK_WORDS = ["张", "王", "李", "赵", "陈", "VIP", "客户", "老", "新", "Lee", "Wang", "渠道", "门店"];
const TAG_NAMES = ["星标组", "会员", "潜在客户", "已购", "活动报名", "员工"];
const DAY = 86_400;

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * A 28-character id like WeChat's: "o", a 5-character issuer prefix, then a counter and a random tail
 * (base64url). The counter leads so ids are generated in index order: bulk inserts append.
 */
function idMaker(prefix: string, random: () => number) {
  let counter = 0;
  return () => {
    let n = counter++;
    let body = "";
    for (let i = 0; i < 6; i++) {
      body = ALPHABET[n & 63] + body;
      n = Math.floor(n / 64);
    }
    for (let i = 0; i < 16; i++) body += ALPHABET[Math.floor(random() * 64)];
    return `o${prefix}${body}`;
  };
}

/** Accounts followed by a person with a unionid: 1 to 5, about 1.76 on average. */
function accountsForPerson(random: () => number, accounts: number): number[] {
  const r = random();
  const k = Math.min(accounts, r < 0.5 ? 1 : r < 0.8 ? 2 : r < 0.95 ? 3 : r < 0.99 ? 4 : 5);
  const picked = new Set<number>();
  while (picked.size < k) picked.add(Math.floor(random() * accounts));
  return [...picked].sort((a, b) => a - b);
}

/**
 * Writes a synthetic audience straight into a migrated database (no WeChat calls): accounts, people,
 * followers, tags and every maintained count, as a sync would have left them. Secondary indexes are
 * dropped while loading and rebuilt after, which is how a bulk load is done in SQLite.
 */
export function seedPopulation(sqlite: Database.Database, options: SeedOptions): SeedResult {
  const random = prng(options.seed);
  sqlite.pragma("journal_mode = OFF");
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("cache_size = -2000000");

  const accounts = Array.from({ length: options.accounts }, (_, slot) => ({
    id: randomUUID(),
    appid: `wx${(0x1000_0000_0000_0000n + BigInt(slot) * 7_919n).toString(16).slice(0, 16)}`,
    slot,
  }));
  const insertAccount = sqlite.prepare(
    "INSERT INTO accounts (id, name, appid, original_id, appsecret_sealed, slot) VALUES (?, ?, ?, 'gh_bench0000000', 'unused', ?)",
  );
  for (const a of accounts) insertAccount.run(a.id, `服务号 ${a.slot + 1}`, a.appid, a.slot);
  const tags = accounts.flatMap((a) =>
    TAG_NAMES.map((_, i) => ({ accountId: a.id, appid: a.appid, tagId: 100 + i })),
  );
  const insertTag = sqlite.prepare(
    "INSERT INTO account_tags (account_id, tag_id, name, count) VALUES (?, ?, ?, 0)",
  );
  for (const t of tags) insertTag.run(t.accountId, t.tagId, TAG_NAMES[t.tagId - 100]);

  const secondary = sqlite
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('followers', 'people', 'follower_tags')",
    )
    .all() as { name: string; sql: string }[];
  for (const index of secondary) sqlite.exec(`DROP INDEX ${index.name}`);

  const openid = accounts.map((a) => idMaker(a.appid.slice(2, 7), random));
  const unionid = idMaker("ocaFD", random);
  const insertPerson = sqlite.prepare(
    "INSERT INTO people (id, unionid, accounts_mask, accounts_count, scene_mask, first_follow_at, last_follow_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const insertFollower = sqlite.prepare(
    `INSERT INTO followers (account_id, openid, person_id, unionid, subscribed, subscribe_time, subscribe_scene, qr_scene,
       qr_scene_str, remark, tag_ids, language, first_seen_at, unsubscribed_at, profile_fetched_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?, 'zh_CN', ?, ?, ?)`,
  );
  const insertFollowerTag = sqlite.prepare(
    "INSERT INTO follower_tags (account_id, tag_id, openid, person_id) VALUES (?, ?, ?, ?)",
  );
  const now = Date.now();
  const nowSeconds = Math.floor(now / 1000);

  let personId = 0;
  let followers = 0;
  const addPerson = (union: string | null, slots: number[]) => {
    personId++;
    let mask = 0;
    let scenes = 0;
    let first = Infinity;
    let last = 0;
    for (const slot of slots) {
      const account = accounts[slot]!;
      const oid = openid[slot]!();
      const subscribeTime = nowSeconds - Math.floor(random() * 5 * 365 * DAY);
      const left = random() < options.leftShare;
      const tagged = random() < 0.1;
      const tagIds = tagged ? [100 + Math.floor(random() * TAG_NAMES.length)] : [];
      const scene = SCENES[Math.floor(random() * SCENES.length)]!;
      scenes |= sceneBit(scene);
      const remark =
        random() < 0.1
          ? `${REMARK_WORDS[Math.floor(random() * REMARK_WORDS.length)]}${Math.floor(random() * 10_000)}`
          : null;
      insertFollower.run(
        account.id,
        oid,
        personId,
        union,
        left ? 0 : 1,
        subscribeTime,
        scene,
        remark,
        tagIds.length ? JSON.stringify(tagIds) : null,
        now,
        left ? now - Math.floor(random() * 30 * DAY * 1000) : null,
        now,
      );
      if (!left) for (const tag of tagIds) insertFollowerTag.run(account.id, tag, oid, personId);
      followers++;
      if (!left) mask |= 1 << slot;
      first = Math.min(first, subscribeTime);
      last = Math.max(last, subscribeTime);
    }
    let count = 0;
    for (let m = mask; m; m &= m - 1) count++;
    insertPerson.run(personId, union, mask, count, scenes, first, last);
  };

  const withUnionid = options.followersPerAccount * options.accounts * (1 - options.noUnionidShare);
  const unionPeople = Math.round(withUnionid / 1.76);
  const perAccountNoUnionid = Math.round(options.followersPerAccount * options.noUnionidShare);
  const BATCH = 100_000;
  for (let start = 0; start < unionPeople; start += BATCH) {
    sqlite.transaction(() => {
      for (let i = start; i < Math.min(unionPeople, start + BATCH); i++)
        addPerson(unionid(), accountsForPerson(random, options.accounts));
    })();
  }
  sqlite.transaction(() => {
    for (let slot = 0; slot < options.accounts; slot++)
      for (let i = 0; i < perAccountNoUnionid; i++) addPerson(null, [slot]);
  })();

  for (const index of secondary) sqlite.exec(index.sql);
  sqlite.transaction(() => {
    sqlite.exec(`INSERT INTO account_counts (account_id, followers, without_unionid, reported_total, last_sync_at)
                 SELECT account_id, count(*), sum(unionid IS NULL), count(*), ${now} FROM followers WHERE subscribed = 1 GROUP BY account_id`);
    sqlite.exec(`UPDATE account_tags SET count = (SELECT count(*) FROM follower_tags t
                 WHERE t.account_id = account_tags.account_id AND t.tag_id = account_tags.tag_id)`);
    rebuildOverlapCounts(sqlite);
  })();
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  return { followers, people: personId, accounts, tags };
}
