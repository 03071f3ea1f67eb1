import "server-only";
import { sqlite } from "@/lib/db";
import { env } from "@/lib/env";
import { childLogger } from "@/lib/log";
import { schedulePushPruning } from "@/lib/push/retention";
import { scheduleSyncChangesPruning } from "@/lib/sync/changes-retention";
import { startWorker } from "@/lib/sync/start-worker";
import { startWebhookDelivery } from "@/lib/webhooks/start";
import type { SyncWorker } from "@/lib/sync/worker";

const cache = globalThis as unknown as { __unionviewHousekeeping?: boolean };

/**
 * The background work of whichever process syncs (the worker child, `npm run worker`, the CLI's
 * `sync`, or the web server with UNIONVIEW_WORKER=in-process): the sync worker and the housekeeping
 * that belongs with it, off the web server's thread. Composed here so that sync and push stay apart.
 */
export function startBackgroundWork(): SyncWorker {
  const worker = startWorker();
  if (!cache.__unionviewHousekeeping) {
    cache.__unionviewHousekeeping = true;
    const log = childLogger({ component: "worker" });
    schedulePushPruning(sqlite(), env().PUSH_EVENTS_RETENTION_DAYS, (line) => log.info(line));
    scheduleSyncChangesPruning(sqlite(), env().SYNC_CHANGES_RETENTION_DAYS, (line) => log.info(line));
    startWebhookDelivery((line) => log.info(line));
  }
  return worker;
}
