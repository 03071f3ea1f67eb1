import { beijingDay, beijingMonth, type SimClock } from "./clock";
import { WxError } from "./errors";
import { quotaKey } from "./options";

export interface QuotaSettings {
  quotas: Record<string, number>;
  perMinute: Record<string, number>;
}

const CLEARS_PER_MONTH = 10;

/** Per account, per API: daily counters (rolling at 00:00 UTC+8 simulated time) and per-minute bursts. */
export class QuotaBook {
  private readonly daily = new Map<string, { day: number; used: number }>();
  private readonly minute = new Map<string, { minute: number; used: number }>();
  private readonly clears = new Map<string, { month: string; count: number }>();

  constructor(
    private readonly clock: SimClock,
    private readonly settings: () => QuotaSettings,
  ) {}

  /** Counts one call, or throws 45011 (per-minute) / 45009 (daily) without counting it. */
  consume(appid: string, path: string): void {
    const key = quotaKey(path);
    const now = this.clock.now();
    const { quotas, perMinute } = this.settings();
    const minuteLimit = perMinute[key];
    const minuteId = `${appid} ${key}`;
    const thisMinute = Math.floor(now / 60);
    let burst = this.minute.get(minuteId);
    if (!burst || burst.minute !== thisMinute) burst = { minute: thisMinute, used: 0 };
    if (minuteLimit !== undefined && burst.used >= minuteLimit) throw new WxError(45011);

    const daily = this.counter(appid, key, now);
    const limit = quotas[key];
    if (limit !== undefined && daily.used >= limit) throw new WxError(45009);
    daily.used++;
    burst.used++;
    this.minute.set(minuteId, burst);
  }

  /** quota/get's answer, or null for a path without a quota. */
  status(appid: string, path: string): { daily_limit: number; used: number; remain: number } | null {
    const key = quotaKey(path);
    const limit = this.settings().quotas[key];
    if (limit === undefined) return null;
    const used = this.counter(appid, key, this.clock.now()).used;
    return { daily_limit: limit, used, remain: Math.max(0, limit - used) };
  }

  /** clear_quota: resets every daily counter of the account; 10 times per (Beijing) month. */
  clear(appid: string): void {
    const month = beijingMonth(this.clock.now());
    const state = this.clears.get(appid);
    const count = state && state.month === month ? state.count : 0;
    if (count >= CLEARS_PER_MONTH) throw new WxError(48006);
    this.clears.set(appid, { month, count: count + 1 });
    for (const id of [...this.daily.keys()]) if (id.startsWith(`${appid} `)) this.daily.delete(id);
    for (const id of [...this.minute.keys()]) if (id.startsWith(`${appid} `)) this.minute.delete(id);
  }

  private counter(appid: string, key: string, now: number): { day: number; used: number } {
    const id = `${appid} ${key}`;
    const day = beijingDay(now);
    let entry = this.daily.get(id);
    if (!entry || entry.day !== day) {
      entry = { day, used: 0 };
      this.daily.set(id, entry);
    }
    return entry;
  }
}
