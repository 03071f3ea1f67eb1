import type Database from "better-sqlite3";

const DAY_MS = 86_400_000;
/** Rows deleted per transaction, so a large first pruning never holds the write lock for long. */
const CHUNK = 5_000;

/**
 * Deletes the per-follower change lists (`sync_changes`) of runs that finished before `now - days`.
 * The runs themselves stay, with their counters (new, returned, unfollowed, rejected); the person
 * timeline then shows those follows from the follower rows' own times. Each run's changes are one
 * range of `sync_changes_run`.
 */
export function pruneSyncChanges(
  sqlite: Database.Database,
  days: number,
  now = Date.now(),
  chunk = CHUNK,
): number {
  if (days <= 0) return 0;
  const cutoff = now - days * DAY_MS;
  const runs = sqlite
    .prepare("SELECT id FROM sync_runs WHERE finished_at IS NOT NULL AND finished_at < ?")
    .pluck()
    .all(cutoff) as number[];
  const remove = sqlite.prepare(
    `DELETE FROM sync_changes WHERE id IN (
       SELECT id FROM sync_changes INDEXED BY sync_changes_run WHERE run_id = ? LIMIT ?)`,
  );
  let deleted = 0;
  for (const run of runs) {
    for (;;) {
      const { changes } = sqlite.transaction(() => remove.run(run, chunk)).immediate();
      deleted += changes;
      if (changes < chunk) break;
    }
  }
  return deleted;
}

/** Prunes two minutes after start, then every six hours; the timer never keeps the process alive. */
export function scheduleSyncChangesPruning(
  sqlite: Database.Database,
  days: number,
  log: (line: string) => void,
): () => void {
  if (days <= 0) return () => {};
  const run = () => {
    try {
      const deleted = pruneSyncChanges(sqlite, days);
      if (deleted) log(`sync change lists older than ${days} days deleted: ${deleted} rows`);
    } catch (error) {
      log(`sync change pruning failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const first = setTimeout(run, 120_000);
  const every = setInterval(run, 6 * 3_600_000);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
