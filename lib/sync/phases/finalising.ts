import type Database from "better-sqlite3";
import { DECIDING_FOLLOW_EVENT } from "@/lib/followers/follow-events";
import { snapshotWriter } from "@/lib/followers/snapshots";
import type { FollowerWriter } from "@/lib/followers/writer";
import { beijingDay } from "@/lib/time/beijing";
import type { WeChatClient } from "@/lib/wechat/client";
import { WeChatError } from "@/lib/wechat/errors";
import { noCounts, type RunContext } from "../run-context";

const VANISH_CHUNK = 1000;

/**
 * Finalising, part one: subscribed followers not listed this time, and with no subscribe pushed since
 * the run started, are marked unfollowed (never deleted), 1,000 per transaction. Returns false when
 * the run was stopped.
 */
export function markVanished(run: RunContext, writer: FollowerWriter): boolean {
  const { sqlite, account, runId } = run;
  // One anti-join: SQLite builds a temporary index of the run's listed openids for the NOT IN once,
  // instead of the staging table keeping a permanent one up to date on every listing commit.
  // A follow pushed by WeChat after the listing began is not missing from it: it came later. That
  // holds for a subscribe that changed nothing too (our row said subscribed after a missed unsubscribe).
  const pushedFollow = (openid: string) =>
    `EXISTS (SELECT 1 FROM push_events e WHERE e.account_id = @account AND e.from_user = ${openid}
                 AND ${DECIDING_FOLLOW_EVENT} AND e.event = 'subscribe'
                 AND e.received_at >= (SELECT coalesce(started_at, created_at) FROM sync_runs WHERE id = @run))`;
  const vanished = sqlite
    .prepare(
      `SELECT f.openid FROM followers f WHERE f.account_id = @account AND f.subscribed = 1
          AND f.openid NOT IN (SELECT l.openid FROM sync_listed l WHERE l.run_id = @run)
          AND NOT ${pushedFollow("f.openid")}`,
    )
    .pluck()
    .all({ account: account.id, run: runId }) as string[];
  // Asked again in each batch's transaction: the web server may have applied such a push since.
  const notPushedSince = sqlite
    .prepare(`SELECT value FROM json_each(@openids) WHERE NOT ${pushedFollow("value")}`)
    .pluck();
  for (let i = 0; i < vanished.length; i += VANISH_CHUNK) {
    if (!run.shouldContinue()) return false;
    const openids = JSON.stringify(vanished.slice(i, i + VANISH_CHUNK));
    sqlite
      .transaction(() => {
        const counts = noCounts();
        const gone = notPushedSince.all({ openids, account: account.id, run: runId }) as string[];
        writer.markUnfollowed(gone, counts);
        writer.flush();
        run.save("finalising", counts);
      })
      .immediate();
  }
  if (vanished.length === 0)
    sqlite.prepare("UPDATE sync_runs SET phase = 'finalising' WHERE id = ?").run(runId);
  return true;
}

/**
 * Finalising, part two: the account's tag names, its reported total and last sync, today's snapshot,
 * and the run marked done, in one transaction (the staged openids are dropped with it).
 */
export async function completeRun(run: RunContext): Promise<void> {
  const { sqlite, account, runId } = run;
  const tags = await accountTags(run.client);
  sqlite
    .transaction(() => {
      const at = run.now();
      if (tags) replaceAccountTags(sqlite, account.id, tags);
      const total =
        (sqlite.prepare("SELECT reported_total FROM sync_runs WHERE id = ?").pluck().get(runId) as
          number | null) ?? null;
      sqlite
        .prepare(
          `INSERT INTO account_counts (account_id, reported_total, last_sync_at) VALUES (?, ?, ?)
           ON CONFLICT (account_id) DO UPDATE SET reported_total = excluded.reported_total, last_sync_at = excluded.last_sync_at`,
        )
        .run(account.id, total, at);
      snapshotWriter(sqlite)(beijingDay(at), at);
      sqlite.prepare("DELETE FROM sync_listed WHERE run_id = ?").run(runId);
      run.save("finalising");
      sqlite
        .prepare(
          "UPDATE sync_runs SET status = 'done', finished_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ?",
        )
        .run(at, runId);
    })
    .immediate();
}

/**
 * The account's tag names, for the people pages. A sync does not fail over them: only a spent quota
 * stops the run (it pauses); any other refusal keeps the names from the last sync.
 */
async function accountTags(client: WeChatClient) {
  try {
    return await client.tags();
  } catch (error) {
    if (error instanceof WeChatError && error.category === "quota-exhausted") throw error;
    return null;
  }
}

function replaceAccountTags(
  sqlite: Database.Database,
  accountId: string,
  tags: { id: number; name: string; count: number }[],
): void {
  sqlite.prepare("DELETE FROM account_tags WHERE account_id = ?").run(accountId);
  const insert = sqlite.prepare(
    "INSERT INTO account_tags (account_id, tag_id, name, count) VALUES (?, ?, ?, ?)",
  );
  for (const tag of tags) insert.run(accountId, tag.id, tag.name, tag.count);
}
