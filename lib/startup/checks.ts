import "server-only";
import { existsSync } from "node:fs";
import { secretKeyStatus } from "@/lib/accounts/key-check";
import { openSqlite } from "@/lib/db/connection";
import { pendingMigrations } from "@/lib/db/pending-migrations";
import { databaseWriteProblem } from "@/lib/db/writable";
import { env } from "@/lib/env";
import { EnvError } from "@/lib/env/schema";
import { startWorkerProcess } from "@/lib/sync/worker-process";
import { sqlite as appConnection } from "@/lib/db";
import { checkpointInBackground } from "@/lib/db/checkpointer";
import { startBackgroundWork } from "./worker";
import { logger } from "@/lib/log";

/**
 * Runs once when the server starts. A missing or malformed variable, or a database that was never
 * migrated, stops the server with a message naming the fix. A wrong UNIONVIEW_SECRET_KEY does not:
 * the dashboard starts, shows admins what is wrong and refuses to store secrets until it is fixed,
 * so a supervisor doesn't restart it in a loop and nothing stored is rewritten.
 */
export function runStartupChecks(): void {
  let databasePath: string;
  try {
    databasePath = env().DATABASE_URL;
  } catch (error) {
    if (error instanceof EnvError) {
      logger().fatal(error.message);
      process.exit(1);
    }
    throw error;
  }

  if (!existsSync(databasePath)) {
    logger().fatal(
      `UnionView cannot start: there is no database at DATABASE_URL=${databasePath}.\n` +
        `Run \`npm run db:migrate\` to create it (and \`npm run db:seed-admin -- --email …\` for the first admin).`,
    );
    process.exit(1);
  }
  // A read-only file or folder would otherwise start, say "Ready", then fail every write forever.
  const writeProblem = databaseWriteProblem(databasePath);
  if (writeProblem) {
    console.error(`\n${writeProblem}\n`);
    process.exit(1);
  }
  const sqlite = openSqlite(databasePath);
  const pending = pendingMigrations(sqlite);
  sqlite.close();
  if (pending > 0) {
    logger().fatal(
      `UnionView cannot start: the database at DATABASE_URL=${databasePath} is missing ${pending} migration(s).\n` +
        `Run \`npm run db:migrate\` (with the same DATABASE_URL), then start again.`,
    );
    process.exit(1);
  }

  checkpointInBackground(appConnection(), databasePath);

  const keyStatus = secretKeyStatus();
  if (!keyStatus.ok) {
    logger().error(`${keyStatus.message} The sync worker is not started.`);
    return;
  }
  startSyncWorker(process.env.UNIONVIEW_WORKER);
}

/** `UNIONVIEW_WORKER`: unset or `process` = a child process, `in-process` = on the server's thread, `off` = none. */
function startSyncWorker(mode: string | undefined): void {
  if (mode === "off") return;
  if (mode === "in-process") {
    startBackgroundWork();
    return;
  }
  const log = (line: string) => logger().info(line);
  if (!startWorkerProcess(log)) {
    log("The sync worker runs inside the web server: tsx or scripts/worker.ts is missing from this install.");
    startBackgroundWork();
  }
}
