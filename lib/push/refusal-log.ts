/**
 * Log lines for refused pushes, aggregated per appid: anyone can send requests to a known account's
 * push URL, so one line per refusal would let an anonymous client decide how much the server logs.
 * The first refusal of an appid is logged as it happens; the ones that follow within the window are
 * counted and written as one summary line when the window ends (by timer, or at the next refusal).
 */
import { childLogger } from "@/lib/log";

export interface RefusalLogOptions {
  windowMs?: number;
  write?: (line: string, fields?: Record<string, unknown>) => void;
  now?: () => number;
}

interface Window {
  startedAt: number;
  counts: Map<string, number>;
  timer?: ReturnType<typeof setTimeout>;
}

export class RefusalLog {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;
  private readonly write: (line: string, fields?: Record<string, unknown>) => void;
  private readonly now: () => number;

  constructor(options: RefusalLogOptions = {}) {
    this.windowMs = options.windowMs ?? 60_000;
    this.write =
      options.write ?? ((line, fields) => childLogger({ component: "push" }).warn(fields ?? {}, line));
    this.now = options.now ?? Date.now;
  }

  refused(appid: string, status: number, reason: string | undefined, requestId?: string): void {
    const now = this.now();
    let window = this.windows.get(appid);
    if (window && now - window.startedAt >= this.windowMs) {
      this.flush(appid);
      window = undefined;
    }
    if (!window) {
      this.write(`push ${appid}: ${status} ${reason ?? ""}`.trim(), { appid, requestId, status });
      window = { startedAt: now, counts: new Map() };
      this.windows.set(appid, window);
      window.timer = setTimeout(() => this.flush(appid), this.windowMs);
      window.timer.unref?.();
      return;
    }
    const key = `${status} ${reason ?? ""}`.trim();
    window.counts.set(key, (window.counts.get(key) ?? 0) + 1);
  }

  /** Writes the summary of `appid`'s window, if it counted anything, and closes it. */
  flush(appid: string): void {
    const window = this.windows.get(appid);
    if (!window) return;
    clearTimeout(window.timer);
    this.windows.delete(appid);
    const total = [...window.counts.values()].reduce((a, b) => a + b, 0);
    if (total === 0) return;
    const seconds = Math.round(this.windowMs / 1000);
    const detail = [...window.counts]
      .sort((a, b) => b[1] - a[1])
      .map(([key, n]) => `${key} ×${n}`)
      .join(", ");
    this.write(`push ${appid}: ${total} more refused within ${seconds} s (${detail})`, {
      appid,
      refused: total,
    });
  }
}

const cache = globalThis as unknown as { __unionviewPushRefusals?: RefusalLog };

/** The process's refusal log (every refused push, through observePush). Unknown appids share one window. */
export function logPushRefusal(
  appid: string,
  status: number,
  reason: string | undefined,
  requestId?: string,
): void {
  cache.__unionviewPushRefusals ??= new RefusalLog();
  cache.__unionviewPushRefusals.refused(appid, status, reason, requestId);
}
