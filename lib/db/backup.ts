import Database from "better-sqlite3";
import { existsSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export interface BackupResult {
  file: string;
  pages: number;
  bytes: number;
  integrity: string;
  ms: number;
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

/**
 * Copies the SQLite database at `source` to `target` with SQLite's online backup API while other
 * processes keep reading and writing it. All pages are copied in one step, inside one read
 * transaction: in WAL mode that reads one committed state without blocking writers (copied in many
 * small steps, every commit of a running sync would restart the copy). The copy is written beside the
 * target and renamed into place only after `PRAGMA integrity_check` says ok, so a failed or
 * interrupted backup never leaves a file that looks complete.
 */
export async function backupDatabase(
  source: string,
  target: string,
  options: { overwrite?: boolean } = {},
): Promise<BackupResult> {
  const from = resolve(source);
  const to = resolve(target);
  if (from === to) throw new BackupError(`The backup file must not be the database itself (${from}).`);
  if (!existsSync(from)) throw new BackupError(`There is no database at ${from}.`);
  if (!existsSync(dirname(to)))
    throw new BackupError(`The folder ${dirname(to)} does not exist: create it first.`);
  if (existsSync(to) && !options.overwrite)
    throw new BackupError(`${to} already exists: choose a new file name, or add --force to replace it.`);

  const partial = join(dirname(to), `.${basename(to)}.partial-${process.pid}`);
  rmSync(partial, { force: true });
  const started = Date.now();
  const db = new Database(from, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const { totalPages } = await db.backup(partial, { progress: () => 0x7fffffff });
    const copy = new Database(partial);
    let integrity: string;
    try {
      integrity = (copy.pragma("integrity_check") as { integrity_check: string }[])
        .map((r) => r.integrity_check)
        .join("; ");
      // A standalone file: no -wal beside it to lose when it is moved or copied.
      copy.pragma("journal_mode = DELETE");
    } finally {
      copy.close();
    }
    if (integrity !== "ok") throw new BackupError(`The copy failed SQLite's integrity check: ${integrity}`);
    renameSync(partial, to);
    return { file: to, pages: totalPages, bytes: statSync(to).size, integrity, ms: Date.now() - started };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
}
