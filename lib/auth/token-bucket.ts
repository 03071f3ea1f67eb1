/**
 * Token buckets keyed by a string (a client address, or one shared key): each key holds up to
 * `capacity` tokens and gains one every `refillMs`; an attempt takes one. Kept in memory: the app
 * runs as one server process, and losing the buckets on a restart only gives back a few attempts.
 */
export interface TakeResult {
  ok: boolean;
  /** When refused: how long until a token is back. */
  retryAfterMs: number;
  /** When refused: true for the first refusal since the bucket last had a token (worth one audit line). */
  firstRefusal: boolean;
}

interface Bucket {
  tokens: number;
  at: number;
  refusing: boolean;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly capacity: number,
    readonly refillMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  take(key: string, now = Date.now()): TakeResult {
    let bucket = this.buckets.get(key);
    if (bucket) {
      const gained = Math.floor((now - bucket.at) / this.refillMs);
      if (gained > 0) {
        bucket.tokens = Math.min(this.capacity, bucket.tokens + gained);
        bucket.at = bucket.tokens === this.capacity ? now : bucket.at + gained * this.refillMs;
      }
    } else {
      this.evictIfFull(now);
      bucket = { tokens: this.capacity, at: now, refusing: false };
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens > 0) {
      bucket.tokens -= 1;
      bucket.refusing = false;
      return { ok: true, retryAfterMs: 0, firstRefusal: false };
    }
    const firstRefusal = !bucket.refusing;
    bucket.refusing = true;
    return { ok: false, retryAfterMs: Math.max(0, bucket.at + this.refillMs - now), firstRefusal };
  }

  /** Forgets buckets that have refilled; if there are still too many, the oldest. */
  private evictIfFull(now: number): void {
    if (this.buckets.size < this.maxKeys) return;
    for (const [key, b] of this.buckets)
      if (b.tokens + (now - b.at) / this.refillMs >= this.capacity) this.buckets.delete(key);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}
