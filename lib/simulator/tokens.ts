import { randomBytes } from "node:crypto";
import { beijingDay, type SimClock } from "./clock";
import { WxError } from "./errors";

export type TokenChain = "token" | "stable";

interface TokenRecord {
  token: string;
  appid: string;
  chain: TokenChain;
  expiresAtMs: number;
  /** Until when it is accepted: its expiry, or shortly after a newer token of its chain replaced it. */
  validUntilMs: number;
}

export interface TokenSettings {
  tokenOverlapSeconds: number;
  tokenLifetimeSeconds: number;
}

const STABLE_REUSE_MARGIN_MS = 300_000;
const FORCE_REFRESH_PER_DAY = 20;
const FORCE_REFRESH_GAP_MS = 30_000;
const WELL_FORMED = /^[0-9]{1,3}_[A-Za-z0-9_-]{32,}$/;

/**
 * access_tokens per account. /cgi-bin/token and /cgi-bin/stable_token are two separate chains (as on
 * WeChat, they do not invalidate each other); within a chain a new token leaves the previous one
 * working for `tokenOverlapSeconds`, then it answers 40001.
 */
export class TokenStore {
  private readonly byToken = new Map<string, TokenRecord>();
  private readonly current = new Map<string, TokenRecord>();
  private readonly forceRefresh = new Map<string, { day: number; count: number; lastMs: number }>();

  constructor(
    private readonly clock: SimClock,
    private readonly settings: () => TokenSettings,
    private readonly onIssue: (appid: string, chain: TokenChain) => void = () => {},
  ) {}

  /** GET /cgi-bin/token: always a new token. */
  issue(appid: string, chain: TokenChain = "token"): { token: string; expiresIn: number } {
    const now = this.clock.nowMs();
    const { tokenOverlapSeconds, tokenLifetimeSeconds } = this.settings();
    const key = `${appid} ${chain}`;
    const previous = this.current.get(key);
    if (previous) {
      previous.validUntilMs = Math.min(previous.validUntilMs, now + tokenOverlapSeconds * 1000);
    }
    const record: TokenRecord = {
      token: `86_${randomBytes(102).toString("base64url")}`,
      appid,
      chain,
      expiresAtMs: now + tokenLifetimeSeconds * 1000,
      validUntilMs: now + tokenLifetimeSeconds * 1000,
    };
    this.byToken.set(record.token, record);
    this.current.set(key, record);
    this.onIssue(appid, chain);
    return { token: record.token, expiresIn: tokenLifetimeSeconds };
  }

  /** POST /cgi-bin/stable_token: the current token while it has more than 5 minutes left. */
  stable(appid: string, forceRefresh: boolean): { token: string; expiresIn: number } {
    const now = this.clock.nowMs();
    if (forceRefresh) {
      const day = beijingDay(Math.floor(now / 1000));
      const state = this.forceRefresh.get(appid);
      const count = state && state.day === day ? state.count : 0;
      if (count >= FORCE_REFRESH_PER_DAY) throw new WxError(45009);
      if (state && now - state.lastMs < FORCE_REFRESH_GAP_MS) throw new WxError(45011);
      this.forceRefresh.set(appid, { day, count: count + 1, lastMs: now });
      return this.issue(appid, "stable");
    }
    const current = this.current.get(`${appid} stable`);
    if (current && current.validUntilMs - now > STABLE_REUSE_MARGIN_MS) {
      return { token: current.token, expiresIn: Math.floor((current.expiresAtMs - now) / 1000) };
    }
    return this.issue(appid, "stable");
  }

  /** The account a token was issued to, valid or not (to attribute faults and stats). */
  owner(token: string | null): string | null {
    return (token && this.byToken.get(token)?.appid) || null;
  }

  /** The appid a token belongs to, or the WeChat error for it. */
  verify(token: string | null): string {
    if (!token) throw new WxError(40001, "access_token missing");
    if (!WELL_FORMED.test(token)) throw new WxError(40014);
    const record = this.byToken.get(token);
    if (!record) throw new WxError(40001);
    const now = this.clock.nowMs();
    if (now >= record.expiresAtMs) throw new WxError(42001);
    if (now >= record.validUntilMs) throw new WxError(40001);
    return record.appid;
  }
}
