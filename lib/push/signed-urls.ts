import { createHash } from "node:crypto";

/**
 * In plaintext mode WeChat's `signature` covers the URL only (token, timestamp, nonce), never the body,
 * so a signed URL seen in a proxy or access log could carry any body until its timestamp leaves the
 * replay window. Each signed URL is therefore bound to the first body it was accepted with: WeChat's
 * retries (same URL, same body) pass, the same URL with another body is refused.
 *
 * Kept in this process's memory: after a restart, or once `maxEntries` URLs newer than the window
 * have pushed the oldest out, a URL can be bound again.
 */
export class SignedUrlBinding {
  private readonly seen = new Map<string, { digest: string; until: number }>();

  constructor(
    private readonly windowSeconds: number,
    private readonly maxEntries = 200_000,
  ) {}

  /** False when this account's signed URL was already accepted with a different body. */
  bind(accountId: string, signature: string, timestamp: number, body: string, nowSeconds: number): boolean {
    this.forgetExpired(nowSeconds);
    const key = `${accountId}:${signature}`;
    const digest = createHash("sha256").update(body).digest("base64");
    const known = this.seen.get(key);
    if (known) return known.digest === digest;
    if (this.seen.size >= this.maxEntries) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, { digest, until: timestamp + this.windowSeconds });
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  /** Entries arrive roughly in timestamp order: stop at the first one still inside the window. */
  private forgetExpired(nowSeconds: number): void {
    for (const [key, entry] of this.seen) {
      if (entry.until >= nowSeconds) return;
      this.seen.delete(key);
    }
  }
}
