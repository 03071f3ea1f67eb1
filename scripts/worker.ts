import { bootEnvironment } from "./boot";

/**
 * `npm run worker`: the sync worker alone. The web server also starts this script as its child
 * process unless UNIONVIEW_WORKER is `off` (or `in-process`).
 */
async function main() {
  await bootEnvironment();
  const { env } = await import("@/lib/env");
  const { databaseWriteProblem } = await import("@/lib/db/writable");
  const writeProblem = databaseWriteProblem(env().DATABASE_URL);
  if (writeProblem) {
    console.error(writeProblem);
    process.exit(1);
  }
  const { secretKeyStatus } = await import("@/lib/accounts/key-check");
  const { logger } = await import("@/lib/log");
  const key = secretKeyStatus();
  if (!key.ok) {
    logger().error(key.message);
    process.exit(1);
  }
  const { startBackgroundWork } = await import("@/lib/startup/worker");
  const worker = startBackgroundWork();
  logger().info(
    `UnionView sync worker ${worker.owner} running against ${env().DATABASE_URL}. Ctrl+C stops it.`,
  );
  const stop = async () => {
    logger().info("Stopping after the current batches…");
    await worker.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  // Started by the web server (lib/sync/worker-process.ts): woken when a run is queued, and gone with it.
  if (process.send) {
    process.on("message", (message: { type?: string }) => {
      if (message?.type === "wake") worker.wake();
    });
    process.on("disconnect", () => void stop());
  }
  setInterval(() => {}, 1 << 30);
}

void main();
