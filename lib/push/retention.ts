import type Database from "better-sqlite3";
import { DAY_MS, deleteInChunks, PRUNE_CHUNK, schedulePruning } from "@/lib/db/housekeeping";

/**
 * Deletes push events received before `now - days` (the events view and the person timeline show
 * what is left; a follow or unfollow stays on the timeline through the follower row and the syncs'
 * change lists). Each account's old events are one range of `push_events_account_received`.
 */
export function prunePushEvents(
  sqlite: Database.Database,
  days: number,
  now = Date.now(),
  chunk = PRUNE_CHUNK,
): number {
  if (days <= 0) return 0;
  const cutoff = now - days * DAY_MS;
  const accounts = sqlite.prepare("SELECT id FROM accounts").pluck().all() as string[];
  const remove = sqlite.prepare(
    `DELETE FROM push_events WHERE id IN (
       SELECT id FROM push_events INDEXED BY push_events_account_received
        WHERE account_id = ? AND received_at < ? LIMIT ?)`,
  );
  let deleted = 0;
  for (const account of accounts) deleted += deleteInChunks(sqlite, remove, [account, cutoff], chunk);
  return deleted;
}

/** Prunes a minute after start, then every six hours; the timer never keeps the process alive. */
export function schedulePushPruning(
  sqlite: Database.Database,
  days: number,
  log: (line: string) => void,
): () => void {
  if (days <= 0) return () => {};
  return schedulePruning(
    `push events older than ${days} days`,
    60_000,
    () => prunePushEvents(sqlite, days),
    log,
  );
}
