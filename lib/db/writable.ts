import Database from "better-sqlite3";
import { basename, dirname, resolve } from "node:path";

const READ_ONLY = /^SQLITE_(READONLY|CANTOPEN|PERM|AUTH)/;

/**
 * Whether this process can write the SQLite file at `path` (and its folder, where SQLite keeps the
 * -wal and -shm files): takes and drops a write lock. Returns a sentence naming the file when it
 * cannot, null when it can. Other errors (a busy database) are thrown as they are.
 */
export function databaseWriteProblem(path: string): string | null {
  const file = resolve(path);
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(file, { fileMustExist: true });
    sqlite.pragma("busy_timeout = 5000");
    sqlite.exec("BEGIN IMMEDIATE");
    sqlite.exec("ROLLBACK");
    return null;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== "string" || !READ_ONLY.test(code)) throw error;
    return (
      `UnionView cannot start: the database ${file} cannot be written (SQLite: ${(error as Error).message}).\n` +
      `Give the user running UnionView write access to that file and to its folder ${dirname(file)} ` +
      `(SQLite keeps ${basename(file)}-wal and ${basename(file)}-shm beside it), and check that the disk is not mounted read-only; then start again.`
    );
  } finally {
    sqlite?.close();
  }
}
