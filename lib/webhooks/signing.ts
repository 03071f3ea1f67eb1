import { createHmac, randomBytes } from "node:crypto";

/** Standard Webhooks secrets: `whsec_` + the base64 of the HMAC key (32 random bytes). */
export const SECRET_PREFIX = "whsec_";

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

/**
 * The Standard Webhooks headers for one attempt: webhook-id (the same on every retry), the attempt's
 * webhook-timestamp (seconds) and webhook-signature `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
 */
export function signatureHeaders(secret: string, msgId: string, timestampSeconds: number, body: string) {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), "base64");
  const signature = createHmac("sha256", key).update(`${msgId}.${timestampSeconds}.${body}`).digest("base64");
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": `v1,${signature}`,
  };
}
