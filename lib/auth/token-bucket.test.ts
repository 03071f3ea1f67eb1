import { describe, expect, it } from "vitest";
import { TokenBuckets } from "./token-bucket";

describe("token buckets", () => {
  it("allows a burst, then one attempt per refill period, per key", () => {
    const buckets = new TokenBuckets(3, 1_000);
    const t0 = 1_000_000;
    expect([0, 1, 2, 3].map(() => buckets.take("a", t0).ok)).toEqual([true, true, true, false]);
    expect(buckets.take("b", t0).ok).toBe(true);
    expect(buckets.take("a", t0 + 400)).toEqual({ ok: false, retryAfterMs: 600, firstRefusal: false });
    expect(buckets.take("a", t0 + 1_000).ok).toBe(true);
    expect(buckets.take("a", t0 + 1_500)).toMatchObject({ ok: false, retryAfterMs: 500, firstRefusal: true });
    expect(buckets.take("a", t0 + 10_000).ok).toBe(true);
  });

  it("keeps no more than its key limit, forgetting refilled buckets first", () => {
    const buckets = new TokenBuckets(1, 1_000, 2);
    buckets.take("a", 0);
    buckets.take("b", 5_000);
    buckets.take("c", 5_000);
    // "a" refilled and was forgotten; "b" is still empty.
    expect(buckets.take("b", 5_000).ok).toBe(false);
  });
});
