/**
 * Sign-in throttling per email: the first few failures are free, then each further failure locks
 * the email for a doubling period. A quiet hour forgets earlier failures.
 */
export const FREE_FAILURES = 5;
export const FIRST_LOCK_MS = 60_000;
export const MAX_LOCK_MS = 60 * 60_000;
export const FORGET_AFTER_MS = 60 * 60_000;

export interface ThrottleState {
  failures: number;
  lastFailedAt: Date;
  lockedUntil: Date | null;
}

export function isLocked(state: ThrottleState | undefined, now: Date): boolean {
  return !!state?.lockedUntil && state.lockedUntil.getTime() > now.getTime();
}

/** The state after one more failed attempt. */
export function afterFailure(state: ThrottleState | undefined, now: Date): ThrottleState {
  const stale = !state || now.getTime() - state.lastFailedAt.getTime() > FORGET_AFTER_MS;
  const failures = (stale ? 0 : state.failures) + 1;
  const over = failures - FREE_FAILURES;
  const lockMs = over >= 0 ? Math.min(FIRST_LOCK_MS * 2 ** over, MAX_LOCK_MS) : 0;
  return {
    failures,
    lastFailedAt: now,
    lockedUntil: lockMs > 0 ? new Date(now.getTime() + lockMs) : null,
  };
}
