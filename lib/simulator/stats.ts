import type { TokenChain } from "./tokens";

export interface PathStats {
  calls: number;
  /** Answers with a non-zero errcode. */
  errors: number;
  errcodes: Record<string, number>;
  /** Injected transport faults (drop, html, badJson). */
  faults: number;
}

export interface StatsSnapshot {
  /** appid ("unknown" when the caller could not be tied to an account) → cgi path → counts. */
  calls: Record<string, Record<string, PathStats>>;
  tokensIssued: Record<string, { token: number; stable: number; total: number }>;
}

export class CallStats {
  private calls = new Map<string, Map<string, PathStats>>();
  private tokens = new Map<string, { token: number; stable: number }>();

  record(appid: string | null, path: string, outcome: { errcode?: number; fault?: boolean }): void {
    const id = appid ?? "unknown";
    let byPath = this.calls.get(id);
    if (!byPath) this.calls.set(id, (byPath = new Map()));
    let entry = byPath.get(path);
    if (!entry) byPath.set(path, (entry = { calls: 0, errors: 0, errcodes: {}, faults: 0 }));
    entry.calls++;
    if (outcome.fault) entry.faults++;
    if (outcome.errcode) {
      entry.errors++;
      entry.errcodes[outcome.errcode] = (entry.errcodes[outcome.errcode] ?? 0) + 1;
    }
  }

  tokenIssued(appid: string, chain: TokenChain): void {
    const counts = this.tokens.get(appid) ?? { token: 0, stable: 0 };
    counts[chain]++;
    this.tokens.set(appid, counts);
  }

  snapshot(): StatsSnapshot {
    const calls: StatsSnapshot["calls"] = {};
    for (const [appid, byPath] of this.calls) {
      calls[appid] = {};
      for (const [path, entry] of byPath) calls[appid][path] = { ...entry, errcodes: { ...entry.errcodes } };
    }
    const tokensIssued: StatsSnapshot["tokensIssued"] = {};
    for (const [appid, { token, stable }] of this.tokens) {
      tokensIssued[appid] = { token, stable, total: token + stable };
    }
    return { calls, tokensIssued };
  }

  reset(): void {
    this.calls = new Map();
    this.tokens = new Map();
  }
}
