import type Database from "better-sqlite3";

const DAY_MS = 86_400_000;
/** Rows deleted per transaction, so a large first pruning never holds the write lock for long. */
const CHUNK = 5_000;

/**
 * Deletes push events received before `now - days` (the events view and the person timeline show
 * what is left; a follow or unfollow stays on the timeline through the follower row and the syncs'
 * change lists). Each account's old events are one range of `push_events_account_received`.
 */
export function prunePushEvents(
  sqlite: Database.Database,
  days: number,
  now = Date.now(),
  chunk = CHUNK,
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
  for (const account of accounts) {
    for (;;) {
      const { changes } = sqlite.transaction(() => remove.run(account, cutoff, chunk)).immediate();
      deleted += changes;
      if (changes < chunk) break;
    }
  }
  return deleted;
}

/** Prunes a minute after start, then every six hours; the timer never keeps the process alive. */
export function schedulePushPruning(
  sqlite: Database.Database,
  days: number,
  log: (line: string) => void,
): () => void {
  if (days <= 0) return () => {};
  const run = () => {
    try {
      const deleted = prunePushEvents(sqlite, days);
      if (deleted) log(`push events older than ${days} days deleted: ${deleted}`);
    } catch (error) {
      log(`push event pruning failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const first = setTimeout(run, 60_000);
  const every = setInterval(run, 6 * 3_600_000);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
