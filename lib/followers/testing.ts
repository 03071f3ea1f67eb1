import type Database from "better-sqlite3";
import type { Truth } from "@/lib/simulator";
import { sceneBitSql } from "./scenes";

/** The audience figures as the maintained aggregates say (what the overview will read). */
export function maintainedFigures(sqlite: Database.Database, slots: Map<number, string>) {
  const accounts = sqlite
    .prepare(
      "SELECT a.appid, coalesce(c.followers, 0) AS followers, coalesce(c.without_unionid, 0) AS withoutUnionid FROM accounts a LEFT JOIN account_counts c ON c.account_id = a.id ORDER BY a.slot",
    )
    .all() as { appid: string; followers: number; withoutUnionid: number }[];
  const histogram = Object.fromEntries(
    (
      sqlite
        .prepare("SELECT accounts, people FROM accounts_histogram WHERE people != 0 ORDER BY accounts")
        .all() as {
        accounts: number;
        people: number;
      }[]
    ).map((r) => [String(r.accounts), r.people]),
  );
  const pairs = (
    sqlite.prepare("SELECT a, b, people FROM pair_overlap WHERE people != 0 ORDER BY a, b").all() as {
      a: number;
      b: number;
      people: number;
    }[]
  ).map((p) => ({ a: slots.get(p.a)!, b: slots.get(p.b)!, people: p.people }));
  const uniquePeople = Object.values(histogram).reduce((s, n) => s + n, 0);
  return { accounts, histogram, pairs, uniquePeople };
}

/** The same figures recounted from the follower rows, the slow way. */
export function recountedFigures(sqlite: Database.Database, slots: Map<number, string>) {
  const accounts = sqlite
    .prepare(
      `SELECT a.appid, count(f.openid) AS followers, coalesce(sum(f.openid IS NOT NULL AND f.unionid IS NULL), 0) AS withoutUnionid
         FROM accounts a LEFT JOIN followers f ON f.account_id = a.id AND f.subscribed = 1 GROUP BY a.id ORDER BY a.slot`,
    )
    .all() as { appid: string; followers: number; withoutUnionid: number }[];
  const persons = sqlite
    .prepare(
      "SELECT f.person_id AS person, group_concat(a.slot) AS slots FROM followers f JOIN accounts a ON a.id = f.account_id WHERE f.subscribed = 1 GROUP BY f.person_id",
    )
    .all() as { person: number; slots: string }[];
  const histogram: Record<string, number> = {};
  const pairCounts = new Map<string, number>();
  for (const p of persons) {
    const s = p.slots
      .split(",")
      .map(Number)
      .sort((x, y) => x - y);
    histogram[String(s.length)] = (histogram[String(s.length)] ?? 0) + 1;
    for (let i = 0; i < s.length; i++)
      for (let j = i + 1; j < s.length; j++)
        pairCounts.set(`${s[i]}:${s[j]}`, (pairCounts.get(`${s[i]}:${s[j]}`) ?? 0) + 1);
  }
  const pairs = [...pairCounts.entries()]
    .map(([k, people]) => {
      const [a, b] = k.split(":").map(Number) as [number, number];
      return { a, b, people };
    })
    .sort((x, y) => x.a - y.a || x.b - y.b)
    .map((p) => ({ a: slots.get(p.a)!, b: slots.get(p.b)!, people: p.people }));
  return { accounts, histogram, pairs, uniquePeople: persons.length };
}

/**
 * Per-person data the people pages rely on, recounted from followers: each a list of rows that
 * disagree (all empty when the maintained data is right).
 */
export function peopleDrift(sqlite: Database.Database) {
  const q = (sql: string) => sqlite.prepare(sql).all();
  return {
    masks:
      q(`SELECT p.id, p.accounts_mask, coalesce(sum(DISTINCT CASE WHEN f.subscribed THEN 1 << a.slot END), 0) AS recount
                FROM people p LEFT JOIN followers f ON f.person_id = p.id LEFT JOIN accounts a ON a.id = f.account_id
               GROUP BY p.id HAVING p.accounts_mask != recount`),
    counts: q(
      `SELECT id FROM people WHERE accounts_count != (SELECT count(*) FROM followers f WHERE f.person_id = people.id AND f.subscribed = 1)`,
    ),
    orphans: q(
      "SELECT id FROM people p WHERE NOT EXISTS (SELECT 1 FROM followers f WHERE f.person_id = p.id)",
    ),
    maskCounts:
      q(`SELECT * FROM (SELECT accounts_mask AS mask, unionid IS NULL AS no_unionid, count(*) AS n FROM people GROUP BY 1, 2) r
                    FULL JOIN (SELECT * FROM mask_counts WHERE people != 0) m USING (mask, no_unionid)
                   WHERE r.n IS NOT m.people`),
    tags: q(`SELECT * FROM (SELECT f.account_id, t.value AS tag_id, f.openid, f.person_id FROM followers f, json_each(f.tag_ids) t WHERE f.subscribed = 1) x
              FULL JOIN follower_tags y USING (account_id, tag_id, openid)
             WHERE x.person_id IS NOT y.person_id`),
    scenes:
      q(`SELECT id FROM people p WHERE scene_mask != coalesce((SELECT sum(DISTINCT ${sceneBitSql("f.subscribe_scene")})
                  FROM followers f WHERE f.person_id = p.id), 0)`),
    sceneCounts:
      q(`SELECT * FROM (SELECT p.accounts_mask AS mask, p.unionid IS NULL AS no_unionid, b.value AS scene, count(*) AS n
                      FROM people p JOIN json_each('[0,1,2,3,4,5,6,7,8,9,10,11,12]') b ON (p.scene_mask >> b.value) & 1 GROUP BY 1, 2, 3) r
                    FULL JOIN (SELECT * FROM scene_counts WHERE people != 0) m USING (mask, no_unionid, scene)
                   WHERE r.n IS NOT m.people`),
    followDates: q(
      `SELECT id FROM people p WHERE first_follow_at IS NULL OR first_follow_at > last_follow_at`,
    ),
  };
}

export const NO_DRIFT = {
  masks: [],
  counts: [],
  orphans: [],
  maskCounts: [],
  tags: [],
  scenes: [],
  sceneCounts: [],
  followDates: [],
};

/** Our figures as the simulator's ground truth predicts them (a follower without unionid is a person). */
export function expectedFromTruth(truth: Truth) {
  const histogram: Record<string, number> = { ...truth.accountsPerPerson };
  histogram["1"] = (histogram["1"] ?? 0) + truth.followersWithoutUnionid;
  for (const k of Object.keys(histogram)) if (!histogram[k]) delete histogram[k];
  return {
    accounts: truth.accounts.map((a) => ({
      appid: a.appid,
      followers: a.subscribed,
      withoutUnionid: a.withoutUnionid,
    })),
    histogram,
    pairs: truth.pairwiseOverlap.filter((p) => p.people > 0),
    uniquePeople: truth.uniquePeople + truth.followersWithoutUnionid,
  };
}
