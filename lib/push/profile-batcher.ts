import type { UserInfo } from "@/lib/wechat/schemas";

export interface ProfileBatcherOptions<A extends { id: string }> {
  /** batchget for the openids (the client splits them into calls of ≤100). */
  fetch: (account: A, openids: string[]) => Promise<{ users: UserInfo[]; rejected: string[] }>;
  /** Writes the fetched profiles; `mark` is what `mark()` returned when the fetch began. */
  apply: (account: A, users: UserInfo[], mark: number) => void;
  onError?: (account: A, error: unknown) => void;
  /** How long to gather openids before fetching: a burst of follows becomes a few batchget calls. */
  delayMs?: number;
  maxBatch?: number;
  /** Where the fetch starts, for `apply` to tell what happened after it (the push applier's eventMark). */
  mark: () => number;
}

/**
 * Fetches the profiles of newly followed openids after the push replies, batched per account. A
 * failed fetch is only reported: the followers stay marked "profile not fetched" and the next sync
 * asks for them.
 */
export class ProfileBatcher<A extends { id: string }> {
  private readonly pending = new Map<string, { account: A; openids: Set<string> }>();
  private readonly running = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly options: ProfileBatcherOptions<A>) {}

  enqueue(account: A, openid: string): void {
    let entry = this.pending.get(account.id);
    if (!entry) this.pending.set(account.id, (entry = { account, openids: new Set() }));
    entry.account = account;
    entry.openids.add(openid);
    this.schedule();
  }

  /** Resolves once nothing is queued or in flight (tests, shutdown). */
  idle(): Promise<void> {
    if (this.pending.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.options.delayMs ?? 100);
  }

  private flush(): void {
    const max = this.options.maxBatch ?? 1000;
    for (const [accountId, entry] of this.pending) {
      if (this.running.has(accountId)) continue;
      const openids = [...entry.openids].slice(0, max);
      for (const o of openids) entry.openids.delete(o);
      if (entry.openids.size === 0) this.pending.delete(accountId);
      this.running.add(accountId);
      void this.fetchOne(entry.account, openids).finally(() => {
        this.running.delete(accountId);
        if (this.pending.size > 0) this.schedule();
        else if (this.running.size === 0) this.waiters.splice(0).forEach((w) => w());
      });
    }
  }

  private async fetchOne(account: A, openids: string[]): Promise<void> {
    const mark = this.options.mark();
    try {
      const { users } = await this.options.fetch(account, openids);
      this.options.apply(account, users, mark);
    } catch (error) {
      this.options.onError?.(account, error);
    }
  }
}
