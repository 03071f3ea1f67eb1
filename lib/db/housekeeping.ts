import type Database from "better-sqlite3";

export const DAY_MS = 86_400_000;
/** Rows deleted per transaction, so a large first pruning never holds the write lock for long. */
export const PRUNE_CHUNK = 5_000;

/**
 * Runs `remove` (a DELETE of at most `chunk` rows, its last parameter) in IMMEDIATE transactions of
 * its own until it deletes fewer than `chunk`; returns how many rows went.
 */
export function deleteInChunks(
  sqlite: Database.Database,
  remove: Database.Statement,
  params: unknown[],
  chunk = PRUNE_CHUNK,
): number {
  let deleted = 0;
  for (;;) {
    const { changes } = sqlite.transaction(() => remove.run(...params, chunk)).immediate();
    deleted += changes;
    if (changes < chunk) return deleted;
  }
}

/**
 * Runs `task` `firstAfterMs` after start, then every six hours, logging what it deleted or why it
 * failed; the timers never keep the process alive. Returns a function that stops them.
 */
export function schedulePruning(
  what: string,
  firstAfterMs: number,
  task: () => number,
  log: (line: string) => void,
): () => void {
  const run = () => {
    try {
      const deleted = task();
      if (deleted) log(`${what} deleted: ${deleted} rows`);
    } catch (error) {
      log(`pruning ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const first = setTimeout(run, firstAfterMs);
  const every = setInterval(run, 6 * 3_600_000);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
