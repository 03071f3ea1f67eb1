import type Database from "better-sqlite3";
import { bitsOf } from "./bits";
import { sceneBitSql } from "./scenes";

/**
 * Recomputes the people-per-mask counts from people, then the accounts-per-person histogram and the
 * pairwise overlaps from those (a few hundred distinct masks, not millions of people).
 */
export function rebuildOverlapCounts(sqlite: Database.Database): void {
  sqlite.prepare("DELETE FROM mask_counts").run();
  sqlite
    .prepare(
      `INSERT INTO mask_counts (mask, no_unionid, people)
       SELECT accounts_mask, unionid IS NULL, count(*) FROM people GROUP BY 1, 2`,
    )
    .run();
  sqlite.prepare("DELETE FROM scene_counts").run();
  const insertScene = sqlite.prepare(
    "INSERT INTO scene_counts (mask, no_unionid, scene, people) VALUES (@mask, @noUnionid, @scene, @n) ON CONFLICT DO UPDATE SET people = people + @n",
  );
  const sceneGroups = sqlite
    .prepare(
      "SELECT accounts_mask AS mask, unionid IS NULL AS noUnionid, scene_mask AS scenes, count(*) AS n FROM people WHERE scene_mask != 0 GROUP BY 1, 2, 3",
    )
    .all() as { mask: number; noUnionid: number; scenes: number; n: number }[];
  for (const g of sceneGroups)
    for (const scene of bitsOf(g.scenes))
      insertScene.run({ mask: g.mask, noUnionid: g.noUnionid, scene, n: g.n });
  const masks = sqlite
    .prepare("SELECT mask, sum(people) AS n FROM mask_counts WHERE mask != 0 GROUP BY mask")
    .all() as { mask: number; n: number }[];
  const histogram = new Map<number, number>();
  const pairs = new Map<string, number>();
  for (const { mask, n } of masks) {
    const b = bitsOf(mask);
    histogram.set(b.length, (histogram.get(b.length) ?? 0) + n);
    for (let i = 0; i < b.length; i++)
      for (let j = i + 1; j < b.length; j++)
        pairs.set(`${b[i]}:${b[j]}`, (pairs.get(`${b[i]}:${b[j]}`) ?? 0) + n);
  }
  sqlite.prepare("DELETE FROM accounts_histogram").run();
  sqlite.prepare("DELETE FROM pair_overlap").run();
  const h = sqlite.prepare("INSERT INTO accounts_histogram (accounts, people) VALUES (?, ?)");
  for (const [k, n] of histogram) h.run(k, n);
  const p = sqlite.prepare("INSERT INTO pair_overlap (a, b, people) VALUES (?, ?, ?)");
  for (const [key, n] of pairs) {
    const [a, b] = key.split(":").map(Number) as [number, number];
    p.run(a, b, n);
  }
}

/**
 * Removes everything synced for an account (followers, its runs and their changes, its counts) and
 * takes it out of every person's set of accounts, in the caller's transaction.
 */
export function deleteAccountData(sqlite: Database.Database, accountId: string, slot: number): void {
  const bit = 1 << slot;
  sqlite
    .prepare(
      "UPDATE people SET accounts_mask = accounts_mask & ~@bit, accounts_count = accounts_count - 1 WHERE accounts_mask & @bit != 0",
    )
    .run({ bit });
  sqlite.exec(
    "CREATE TEMP TABLE IF NOT EXISTS affected_people (id INTEGER PRIMARY KEY); DELETE FROM affected_people;",
  );
  sqlite
    .prepare("INSERT OR IGNORE INTO affected_people SELECT person_id FROM followers WHERE account_id = ?")
    .run(accountId);
  sqlite.prepare("DELETE FROM followers WHERE account_id = ?").run(accountId);
  sqlite
    .prepare(
      `UPDATE people SET scene_mask = coalesce((SELECT sum(DISTINCT ${sceneBitSql("f.subscribe_scene")})
                                                 FROM followers f WHERE f.person_id = people.id), 0)
        WHERE id IN (SELECT id FROM affected_people)`,
    )
    .run();
  sqlite.prepare("DELETE FROM follower_tags WHERE account_id = ?").run(accountId);
  sqlite.prepare("DELETE FROM account_tags WHERE account_id = ?").run(accountId);
  sqlite
    .prepare("DELETE FROM sync_listed WHERE run_id IN (SELECT id FROM sync_runs WHERE account_id = ?)")
    .run(accountId);
  sqlite.prepare("DELETE FROM sync_changes WHERE account_id = ?").run(accountId);
  sqlite.prepare("DELETE FROM push_events WHERE account_id = ?").run(accountId);
  sqlite.prepare("DELETE FROM sync_runs WHERE account_id = ?").run(accountId);
  sqlite.prepare("DELETE FROM account_counts WHERE account_id = ?").run(accountId);
  sqlite.prepare("DELETE FROM snapshots WHERE scope = ?").run(accountId);
  sqlite
    .prepare(
      "DELETE FROM people WHERE accounts_mask = 0 AND NOT EXISTS (SELECT 1 FROM followers f WHERE f.person_id = people.id)",
    )
    .run();
  rebuildOverlapCounts(sqlite);
}
