import "server-only";
import { sqlite } from "@/lib/db";
import { env } from "@/lib/env";
import { clientForAccount } from "@/lib/accounts/wechat-client";
import { childLogger } from "@/lib/log";
import { SyncWorker } from "./worker";
import { wakeWorkerProcess } from "./worker-process";

const cache = globalThis as unknown as { __unionviewWorker?: SyncWorker };

/** The sync worker inside this process (one per process, also across dev reloads). */
export function startWorker(): SyncWorker {
  if (!cache.__unionviewWorker) {
    const log = childLogger({ component: "worker" });
    cache.__unionviewWorker = new SyncWorker({
      sqlite: sqlite(),
      clientFor: (accountId, shared) => clientForAccount(accountId, shared),
      log: (line, fields) => log.info(fields ?? {}, line),
      dailyCallBudget: env().SYNC_DAILY_CALL_BUDGET,
    });
    cache.__unionviewWorker.start();
  }
  return cache.__unionviewWorker;
}

/** Lets a just-queued run start now rather than at the next poll (in this process or the worker child). */
export function wakeWorker(): void {
  if (cache.__unionviewWorker) cache.__unionviewWorker.wake();
  else wakeWorkerProcess();
}
