import { describe, expect, it } from "vitest";
import { afterFailure, FREE_FAILURES, isLocked, MAX_LOCK_MS, type ThrottleState } from "./throttle-policy";

const t0 = new Date("2026-11-25T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("sign-in throttle", () => {
  it("allows a few failures, then locks for a doubling period", () => {
    let state: ThrottleState | undefined;
    for (let i = 1; i < FREE_FAILURES; i++) {
      state = afterFailure(state, t0);
      expect(isLocked(state, t0)).toBe(false);
    }
    state = afterFailure(state, t0);
    expect(isLocked(state, t0)).toBe(true);
    expect(state.lockedUntil!.getTime() - t0.getTime()).toBe(60_000);
    state = afterFailure(state, at(61_000));
    expect(state.lockedUntil!.getTime() - at(61_000).getTime()).toBe(120_000);
  });

  it("caps the lock at one hour", () => {
    let state: ThrottleState | undefined;
    for (let i = 0; i < 30; i++) state = afterFailure(state, at(i * 1000));
    expect(state!.lockedUntil!.getTime() - at(29_000).getTime()).toBe(MAX_LOCK_MS);
  });

  it("forgets failures after a quiet hour", () => {
    let state: ThrottleState | undefined;
    for (let i = 0; i < FREE_FAILURES - 1; i++) state = afterFailure(state, t0);
    state = afterFailure(state, at(61 * 60_000));
    expect(state.failures).toBe(1);
    expect(isLocked(state, at(61 * 60_000))).toBe(false);
  });

  it("unlocks when the period has passed", () => {
    const state = { failures: 5, lastFailedAt: t0, lockedUntil: at(60_000) };
    expect(isLocked(state, at(59_999))).toBe(true);
    expect(isLocked(state, at(60_000))).toBe(false);
  });
});
