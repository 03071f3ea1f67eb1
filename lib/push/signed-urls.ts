import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import type { Statement } from "better-sqlite3";

/**
 * In plaintext mode WeChat's `signature` covers the URL only (token, timestamp, nonce), never the body,
 * so a signed URL seen in a proxy or access log could carry any body until its timestamp leaves the
 * replay window. Each signed URL is therefore bound to the first body it was accepted with: WeChat's
 * retries (same URL, same body) pass, the same URL with another body is refused.
 */
export interface SignedUrlBinding {
  /** False when this account's signed URL was already accepted with a different body. */
  bind(accountId: string, signature: string, timestamp: number, body: string, nowSeconds: number): boolean;
}

/**
 * The binding kept in SQLite (`push_signed_urls`), so it survives a restart and holds for every process
 * on the same database: the first INSERT of an (account, signature) wins, atomically, and any later body
 * is compared with the stored digest. Rows whose timestamp has left the window are deleted (at most
 * once a second, along `push_signed_urls_expires`); such a URL is refused by the replay check anyway.
 */
export class SqliteSignedUrls implements SignedUrlBinding {
  private readonly insert: Statement;
  private readonly digestOf: Statement;
  private readonly purge: Statement;
  private purgedAt = 0;

  constructor(
    sqlite: Database.Database,
    private readonly windowSeconds: number,
  ) {
    this.insert = sqlite.prepare(
      `INSERT INTO push_signed_urls (account_id, signature, digest, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
    );
    this.digestOf = sqlite
      .prepare("SELECT digest FROM push_signed_urls WHERE account_id = ? AND signature = ?")
      .pluck();
    this.purge = sqlite.prepare("DELETE FROM push_signed_urls WHERE expires_at < ?");
  }

  bind(accountId: string, signature: string, timestamp: number, body: string, nowSeconds: number): boolean {
    this.forgetExpired(nowSeconds);
    const digest = createHash("sha256").update(body).digest("base64");
    const inserted = this.insert.run(accountId, signature, digest, timestamp + this.windowSeconds);
    if (inserted.changes === 1) return true;
    return this.digestOf.get(accountId, signature) === digest;
  }

  /** Deletes the rows whose timestamp has left the window; returns how many. */
  forgetExpired(nowSeconds: number, force = false): number {
    if (!force && nowSeconds - this.purgedAt < 1) return 0;
    this.purgedAt = nowSeconds;
    return this.purge.run(Math.floor(nowSeconds)).changes;
  }
}
