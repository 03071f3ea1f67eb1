import type { z } from "zod";
import { TRANSPORT_ERRCODE, WeChatError } from "./errors";
import { parseBody, requestJson } from "./http";
import { Ledger } from "./ledger";
import {
  batchGetResponse,
  followersPage,
  okResponse,
  quotaResponse,
  tagsResponse,
  tokenResponse,
  userInfo,
  type FollowersPage,
  type UserInfo,
} from "./schemas";
import { Semaphore } from "./semaphore";
import { TokenStore, type AnyDb, type FetchedToken, type TokenCodec } from "./token-store";

export interface WeChatClientOptions {
  db: AnyDb;
  appid: string;
  /** Called only when a token has to be fetched, so the secret stays sealed otherwise. */
  secret: () => string;
  baseUrl: string;
  tokenCodec: TokenCodec;
  /** stable_token (default) returns the same token to every caller; plain /token issues a new one each call. */
  tokenMode?: "stable" | "plain";
  timeoutMs?: number;
  maxRetries?: number;
  retryBaseMs?: number;
  concurrency?: number;
  /** Shared across clients to cap the requests in flight overall (the sync worker's global budget). */
  semaphore?: Semaphore;
  /** Told about every request sent (a sync counts its API calls with it). */
  onCall?: (path: string) => void;
  /**
   * Whether outcomes are written to the account's health fields (default true). Off for credentials
   * typed into a form: a rejected replacement must not mark the stored, working account as failing.
   */
  recordHealth?: boolean;
  now?: () => number;
}

export const BATCHGET_LIMIT = 100;

type CallInit = { method: "GET" | "POST"; query?: Record<string, string>; body?: unknown };

/**
 * A typed client for one Official Account. Every call: shared token from the database, one renewal
 * and retry on 40001/40014/42001, jittered back-off for -1, 45011 and transport failures, bounded
 * concurrency, and a ledger entry per call.
 */
export class WeChatClient {
  readonly appid: string;
  private readonly tokens: TokenStore;
  private readonly ledger: Ledger;
  private readonly semaphore: Semaphore;
  private readonly onCall?: (path: string) => void;
  private readonly recordHealth: boolean;
  private readonly opts: Required<
    Omit<
      WeChatClientOptions,
      "db" | "tokenCodec" | "secret" | "appid" | "semaphore" | "onCall" | "recordHealth"
    >
  > &
    Pick<WeChatClientOptions, "secret">;

  constructor(options: WeChatClientOptions) {
    this.appid = options.appid;
    const now = options.now ?? Date.now;
    this.tokens = new TokenStore(options.db, options.tokenCodec, now);
    this.ledger = new Ledger(options.db, options.appid, now);
    this.semaphore = options.semaphore ?? new Semaphore(options.concurrency ?? 4);
    this.onCall = options.onCall;
    this.recordHealth = options.recordHealth ?? true;
    this.opts = {
      secret: options.secret,
      baseUrl: options.baseUrl,
      tokenMode: options.tokenMode ?? "stable",
      timeoutMs: options.timeoutMs ?? 10_000,
      maxRetries: options.maxRetries ?? 3,
      retryBaseMs: options.retryBaseMs ?? 300,
      concurrency: options.concurrency ?? 4,
      now,
    };
  }

  // ---- tokens ----------------------------------------------------------------------------------

  accessToken(): Promise<string> {
    return this.tokens.get(this.appid, (stale) => this.fetchToken(stale));
  }

  private async fetchToken(stale: string | null): Promise<FetchedToken> {
    const first = await this.requestToken(false);
    // A stable token that was just refused: ask WeChat for a genuinely new one.
    if (stale && first.token === stale && this.opts.tokenMode === "stable") return this.requestToken(true);
    return first;
  }

  private async requestToken(forceRefresh: boolean): Promise<FetchedToken> {
    const path = this.opts.tokenMode === "stable" ? "/cgi-bin/stable_token" : "/cgi-bin/token";
    const init: CallInit =
      this.opts.tokenMode === "stable"
        ? {
            method: "POST",
            body: {
              grant_type: "client_credential",
              appid: this.appid,
              secret: this.opts.secret(),
              force_refresh: forceRefresh,
            },
          }
        : {
            method: "GET",
            query: { grant_type: "client_credential", appid: this.appid, secret: this.opts.secret() },
          };
    const json = await this.send(path, init, false);
    const body = parseBody(tokenResponse, json, path);
    return { token: body.access_token, expiresIn: body.expires_in };
  }

  // ---- the call loop ---------------------------------------------------------------------------

  private async send(path: string, init: CallInit, withToken: boolean): Promise<unknown> {
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      const token = withToken ? await this.accessToken() : undefined;
      this.onCall?.(path);
      try {
        const json = await this.semaphore.run(() =>
          requestJson({
            baseUrl: this.opts.baseUrl,
            path,
            method: init.method,
            query: token ? { ...init.query, access_token: token } : init.query,
            body: init.body,
            timeoutMs: this.opts.timeoutMs,
          }),
        );
        this.ledger.record(path);
        if (this.recordHealth) this.ledger.healthy();
        return json;
      } catch (error) {
        if (!(error instanceof WeChatError)) throw error;
        this.ledger.record(path, error);
        if (error.category === "refresh-token" && token && !renewed) {
          renewed = true;
          this.tokens.invalidate(this.appid, token);
          attempt--;
          continue;
        }
        const retryable = error.category === "retry" || error.category === "back-off";
        if (retryable && attempt < this.opts.maxRetries) {
          const base = this.opts.retryBaseMs * (error.category === "back-off" ? 3 : 1) * 2 ** attempt;
          await new Promise((resolve) => setTimeout(resolve, base * (0.5 + Math.random())));
          continue;
        }
        if (this.recordHealth && error.category !== "bad-request") this.ledger.failed(error);
        throw error;
      }
    }
  }

  private async call<T>(path: string, schema: z.ZodType<T>, init: CallInit): Promise<T> {
    return parseBody(schema, await this.send(path, init, true), path);
  }

  // ---- the API -------------------------------------------------------------------------------

  /** One page of follower openids (up to 10,000). Empty nextOpenid starts from the beginning. */
  followers(nextOpenid = ""): Promise<FollowersPage> {
    return this.call("/cgi-bin/user/get", followersPage, {
      method: "GET",
      query: nextOpenid ? { next_openid: nextOpenid } : {},
    });
  }

  /** Every page of openids, ending on a short page or on WeChat's count-0 page after a full one. */
  async *allFollowers(startAfter = ""): AsyncGenerator<{ openids: string[]; total: number; next: string }> {
    let next = startAfter;
    for (;;) {
      const page = await this.followers(next);
      const openids = page.data?.openid ?? [];
      if (openids.length > 0) yield { openids, total: page.total, next: page.next_openid };
      if (openids.length === 0 || !page.next_openid || page.count < 10_000) return;
      next = page.next_openid;
    }
  }

  userInfo(openid: string, lang = "zh_CN"): Promise<UserInfo> {
    return this.call("/cgi-bin/user/info", userInfo, { method: "GET", query: { openid, lang } });
  }

  /**
   * Profiles for any number of openids: split into calls of ≤100; when WeChat refuses a batch with
   * 40003 (one bad openid fails the whole batch) the batch is halved until the bad ones are found.
   */
  async batchGet(
    openids: readonly string[],
    lang = "zh_CN",
  ): Promise<{ users: UserInfo[]; rejected: string[] }> {
    const chunks: string[][] = [];
    for (let i = 0; i < openids.length; i += BATCHGET_LIMIT)
      chunks.push(openids.slice(i, i + BATCHGET_LIMIT));
    const results = await Promise.all(chunks.map((chunk) => this.batchGetIsolating(chunk, lang)));
    return { users: results.flatMap((r) => r.users), rejected: results.flatMap((r) => r.rejected) };
  }

  private async batchGetIsolating(
    openids: string[],
    lang: string,
  ): Promise<{ users: UserInfo[]; rejected: string[] }> {
    try {
      const body = await this.call("/cgi-bin/user/info/batchget", batchGetResponse, {
        method: "POST",
        body: { user_list: openids.map((openid) => ({ openid, lang })) },
      });
      return { users: answeredFor(openids, body.user_info_list), rejected: [] };
    } catch (error) {
      if (!(error instanceof WeChatError) || error.errcode !== 40003) throw error;
      if (openids.length === 1) return { users: [], rejected: openids };
      const middle = Math.ceil(openids.length / 2);
      const [left, right] = await Promise.all([
        this.batchGetIsolating(openids.slice(0, middle), lang),
        this.batchGetIsolating(openids.slice(middle), lang),
      ]);
      return { users: [...left.users, ...right.users], rejected: [...left.rejected, ...right.rejected] };
    }
  }

  async updateRemark(openid: string, remark: string): Promise<void> {
    await this.call("/cgi-bin/user/info/updateremark", okResponse, {
      method: "POST",
      body: { openid, remark },
    });
  }

  async tags() {
    return (await this.call("/cgi-bin/tags/get", tagsResponse, { method: "GET" })).tags;
  }

  async batchTagging(openids: readonly string[], tagid: number): Promise<void> {
    for (let i = 0; i < openids.length; i += 50) {
      await this.call("/cgi-bin/tags/members/batchtagging", okResponse, {
        method: "POST",
        body: { openid_list: openids.slice(i, i + 50), tagid },
      });
    }
  }

  /** WeChat's own count for one API today; also stored to reconcile the local ledger. */
  async quota(cgiPath: string) {
    const body = await this.call("/cgi-bin/openapi/quota/get", quotaResponse, {
      method: "POST",
      body: { cgi_path: cgiPath },
    });
    this.ledger.reconcile(cgiPath, body.quota);
    return body.quota;
  }

  async clearQuota(): Promise<void> {
    await this.call("/cgi-bin/clear_quota", okResponse, { method: "POST", body: { appid: this.appid } });
  }

  /** Proves the appid, secret, IP whitelist and permission: a token request, then the follower-list quota. */
  async testConnection(): Promise<
    | { ok: true; quota: { daily_limit: number; used: number; remain: number } }
    | { ok: false; error: WeChatError }
  > {
    try {
      // A cached token would prove nothing about a new secret: ask WeChat with this one.
      await this.requestToken(false);
      return { ok: true, quota: await this.quota("/cgi-bin/user/get") };
    } catch (error) {
      if (error instanceof WeChatError) return { ok: false, error };
      throw error;
    }
  }
}

/**
 * The profiles of a batchget, checked against what was asked: WeChat answers each requested openid at
 * most once. Any other openid (a rewriting proxy, a mixed-up answer) makes the whole answer untrustworthy,
 * so nothing of it may be written: the call fails as a bad response.
 */
function answeredFor(asked: readonly string[], users: UserInfo[]): UserInfo[] {
  const open = new Set(asked);
  const strangers = users.filter((u) => !open.delete(u.openid));
  if (strangers.length === 0) return users;
  throw new WeChatError({
    errcode: TRANSPORT_ERRCODE.mismatch,
    errmsg: `${strangers.length} of ${users.length} profiles were for openids not asked for (e.g. ${strangers[0]!.openid})`,
    path: "/cgi-bin/user/info/batchget",
  });
}
