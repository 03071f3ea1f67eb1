import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { accessTokens } from "@/lib/db/schema";

// Works with any drizzle SQLite database that has the access_tokens table.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = BetterSQLite3Database<any>;

/** How tokens are protected at rest (the app seals them with UNIONVIEW_SECRET_KEY). */
export interface TokenCodec {
  seal(token: string, appid: string): string;
  open(sealed: string, appid: string): string;
}

export interface FetchedToken {
  token: string;
  expiresIn: number;
}

/**
 * Renew below this much remaining life. Less than stable_token's 5 minutes, so a renewal gets a
 * new token instead of the same nearly-expired one.
 */
export const RENEW_MARGIN_MS = 4 * 60_000;
const LEASE_MS = 20_000;
const GIVE_UP_MS = 60_000;

/**
 * One access token per appid for every process that shares the database. A process that finds no
 * usable token takes a short lease on the row and renews; the others wait for its result instead
 * of fetching a competing token (which would invalidate theirs: the classic 40001 storm).
 */
export class TokenStore {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

  /** Prepared once: every API call reads the shared token. */
  private readonly readToken;

  constructor(
    private readonly db: AnyDb,
    private readonly codec: TokenCodec,
    private readonly now: () => number = Date.now,
  ) {
    this.readToken = db
      .select()
      .from(accessTokens)
      .where(eq(accessTokens.appid, sql.placeholder("appid")))
      .prepare();
  }

  private read(appid: string) {
    return this.readToken.get({ appid });
  }

  /** The stored token if it has enough life left. */
  current(appid: string): string | null {
    const row = this.read(appid);
    if (!row?.tokenSealed || !row.expiresAt || row.expiresAt.getTime() - this.now() <= RENEW_MARGIN_MS)
      return null;
    return this.codec.open(row.tokenSealed, appid);
  }

  private readonly inflight = new Map<string, Promise<string>>();

  /** The shared token, renewing it if needed; concurrent callers in this process share one attempt. */
  get(appid: string, fetchToken: (stale: string | null) => Promise<FetchedToken>): Promise<string> {
    const token = this.current(appid);
    if (token) return Promise.resolve(token);
    let pending = this.inflight.get(appid);
    if (!pending) {
      pending = this.acquire(appid, fetchToken).finally(() => this.inflight.delete(appid));
      this.inflight.set(appid, pending);
    }
    return pending;
  }

  private async acquire(
    appid: string,
    fetchToken: (stale: string | null) => Promise<FetchedToken>,
  ): Promise<string> {
    const started = this.now();
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      const token = this.current(appid);
      if (token) return token;
      if (this.tryLease(appid)) {
        try {
          const again = this.current(appid);
          if (again) return again;
          const row = this.read(appid);
          const stale = row?.tokenSealed ? this.safeOpen(row.tokenSealed, appid) : null;
          const fetched = await fetchToken(stale);
          const at = this.now();
          this.db
            .update(accessTokens)
            .set({
              tokenSealed: this.codec.seal(fetched.token, appid),
              expiresAt: new Date(at + fetched.expiresIn * 1000),
              fetchedAt: new Date(at),
            })
            .where(eq(accessTokens.appid, appid))
            .run();
          return fetched.token;
        } finally {
          this.releaseLease(appid);
        }
      }
      if (this.now() - started > GIVE_UP_MS) {
        throw new Error(`Timed out waiting for another process to renew the access token of ${appid}.`);
      }
      await new Promise((resolve) => setTimeout(resolve, wait + Math.random() * wait));
    }
  }

  /** After 40001/42001: marks `token` unusable, unless another process already replaced it. */
  invalidate(appid: string, token: string): void {
    const row = this.read(appid);
    if (!row?.tokenSealed || this.safeOpen(row.tokenSealed, appid) !== token) return;
    this.db
      .update(accessTokens)
      .set({ expiresAt: new Date(0) })
      .where(and(eq(accessTokens.appid, appid), eq(accessTokens.tokenSealed, row.tokenSealed)))
      .run();
  }

  private safeOpen(sealed: string, appid: string): string | null {
    try {
      return this.codec.open(sealed, appid);
    } catch {
      return null;
    }
  }

  private tryLease(appid: string): boolean {
    const at = this.now();
    this.db.insert(accessTokens).values({ appid }).onConflictDoNothing().run();
    const result = this.db
      .update(accessTokens)
      .set({ leaseOwner: this.owner, leaseUntil: new Date(at + LEASE_MS) })
      .where(
        and(
          eq(accessTokens.appid, appid),
          or(isNull(accessTokens.leaseUntil), lt(accessTokens.leaseUntil, new Date(at))),
        ),
      )
      .run();
    return result.changes === 1;
  }

  private releaseLease(appid: string): void {
    this.db
      .update(accessTokens)
      .set({ leaseOwner: null, leaseUntil: null })
      .where(and(eq(accessTokens.appid, appid), eq(accessTokens.leaseOwner, this.owner)))
      .run();
  }
}
