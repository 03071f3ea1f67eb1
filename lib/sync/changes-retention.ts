import type Database from "better-sqlite3";
import { DAY_MS, deleteInChunks, PRUNE_CHUNK, schedulePruning } from "@/lib/db/housekeeping";

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
  chunk = PRUNE_CHUNK,
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
  for (const run of runs) deleted += deleteInChunks(sqlite, remove, [run], chunk);
  return deleted;
}

/** Prunes two minutes after start, then every six hours; the timer never keeps the process alive. */
export function scheduleSyncChangesPruning(
  sqlite: Database.Database,
  days: number,
  log: (line: string) => void,
): () => void {
  if (days <= 0) return () => {};
  return schedulePruning(
    `sync change lists older than ${days} days`,
    120_000,
    () => pruneSyncChanges(sqlite, days),
    log,
  );
}
