import type Database from "better-sqlite3";

/**
 * Writes the day's figures per account and overall, from the maintained counts (never a scan of
 * followers). The statements are prepared once per writer: push commits call it on every batch.
 */
export function snapshotWriter(sqlite: Database.Database): (day: string, at: number) => void {
  const upsert = sqlite.prepare(
    `INSERT INTO snapshots (day, scope, followers, unique_people, without_unionid, taken_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (day, scope) DO UPDATE SET followers = excluded.followers, unique_people = excluded.unique_people,
       without_unionid = excluded.without_unionid, taken_at = excluded.taken_at`,
  );
  const accountCounts = sqlite.prepare("SELECT account_id, followers, without_unionid FROM account_counts");
  const peopleCount = sqlite
    .prepare("SELECT coalesce(sum(people), 0) FROM accounts_histogram WHERE accounts > 0")
    .pluck();
  return (day, at) => {
    const accounts = accountCounts.all() as {
      account_id: string;
      followers: number;
      without_unionid: number;
    }[];
    for (const a of accounts) upsert.run(day, a.account_id, a.followers, a.followers, a.without_unionid, at);
    const people = (peopleCount.get() as number) ?? 0;
    const summed = accounts.reduce((s, a) => s + a.followers, 0);
    const without = accounts.reduce((s, a) => s + a.without_unionid, 0);
    upsert.run(day, "all", summed, people, without, at);
  };
}
