import "server-only";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import { logger } from "@/lib/log";

// Plain JavaScript run in a worker thread: its own connection copies the WAL back into the database
// file, so the fsync of a checkpoint never blocks the server's request thread.
const CHECKPOINTER = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require("better-sqlite3");
const db = new Database(workerData.file);
db.pragma("busy_timeout = 5000");
setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    parentPort.postMessage("WAL checkpoint failed: " + error.message);
  }
}, workerData.everyMs);
`;

/**
 * Moves the web server's WAL checkpoints off its request thread: SQLite would otherwise run one inside
 * whichever commit crosses 1,000 WAL pages, with an fsync (seen as >1 s reply stalls under push load).
 * If the thread cannot start, the connection keeps SQLite's automatic checkpoints.
 */
export function checkpointInBackground(sqlite: Database.Database, file: string, everyMs = 1000): void {
  try {
    const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { file, everyMs } });
    worker.unref();
    worker.on("message", (line: string) => logger().error(line));
    worker.on("error", (error) => {
      logger().error(`WAL checkpointer stopped (${error.message}); SQLite checkpoints itself again.`);
      sqlite.pragma("wal_autocheckpoint = 1000");
    });
    sqlite.pragma("wal_autocheckpoint = 0");
  } catch (error) {
    logger().error(`WAL checkpointer not started: ${(error as Error).message}`);
  }
}
