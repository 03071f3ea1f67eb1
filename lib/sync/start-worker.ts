import "server-only";
import { sqlite } from "@/lib/db";
import { env } from "@/lib/env";
import { schedulePushPruning } from "@/lib/push/retention";
import { startWebhookDelivery } from "@/lib/webhooks/start";
import { clientForAccount } from "@/lib/wechat/for-account";
import { SyncWorker } from "./worker";
import { wakeWorkerProcess } from "./worker-process";

const cache = globalThis as unknown as { __unionviewWorker?: SyncWorker };

/** The sync worker inside this process (one per process, also across dev reloads). */
export function startWorker(): SyncWorker {
  if (!cache.__unionviewWorker) {
    cache.__unionviewWorker = new SyncWorker({
      sqlite: sqlite(),
      clientFor: (accountId, shared) => clientForAccount(accountId, shared),
      log: (line) => console.log(`[UnionView] ${line}`),
      dailyCallBudget: env().SYNC_DAILY_CALL_BUDGET,
    });
    cache.__unionviewWorker.start();
    // Housekeeping belongs with the worker: off the web server's thread, in whichever process syncs.
    schedulePushPruning(sqlite(), env().PUSH_EVENTS_RETENTION_DAYS, (line) =>
      console.log(`[UnionView] ${line}`),
    );
    startWebhookDelivery((line) => console.log(`[UnionView] ${line}`));
  }
  return cache.__unionviewWorker;
}

/** Lets a just-queued run start now rather than at the next poll (in this process or the worker child). */
export function wakeWorker(): void {
  if (cache.__unionviewWorker) cache.__unionviewWorker.wake();
  else wakeWorkerProcess();
}
