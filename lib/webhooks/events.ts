import { WEBHOOK_EVENTS } from "@/lib/apiv1/schemas";

export { WEBHOOK_EVENTS };
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export function isWebhookEvent(value: unknown): value is WebhookEventType {
  return typeof value === "string" && (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/** How long an event is retried before its delivery is marked failed. */
export const RETRY_WINDOW_MS = 24 * 60 * 60_000;
