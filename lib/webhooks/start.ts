import "server-only";
import { sqlite } from "@/lib/db";
import { env } from "@/lib/env";
import { WebhookDelivery } from "./delivery";
import { openWebhookSecret } from "./endpoints";

const cache = globalThis as unknown as { __unionviewWebhooks?: WebhookDelivery };

/** Webhook delivery beside the sync worker, in whichever process runs the worker (one per process). */
export function startWebhookDelivery(log: (line: string) => void): WebhookDelivery {
  if (!cache.__unionviewWebhooks) {
    cache.__unionviewWebhooks = new WebhookDelivery({
      sqlite: sqlite(),
      openSecret: openWebhookSecret,
      allowPrivate: env().UNIONVIEW_WEBHOOK_ALLOW_PRIVATE === "1",
      log,
    });
    cache.__unionviewWebhooks.start();
  }
  return cache.__unionviewWebhooks;
}
