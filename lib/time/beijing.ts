/** WeChat's daily quotas, and UnionView's days and schedules, follow Beijing time (UTC+8, no DST). */
export const BEIJING_OFFSET_MS = 8 * 60 * 60_000;
export const DAY_MS = 86_400_000;

/** The Beijing calendar day of `at`, as YYYY-MM-DD. */
export function beijingDay(at: number): string {
  return new Date(at + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The next 00:00 in Beijing after `at`: when WeChat's daily quotas reset. */
export function nextBeijingMidnight(at: number): number {
  return Math.floor((at + BEIJING_OFFSET_MS) / DAY_MS + 1) * DAY_MS - BEIJING_OFFSET_MS;
}
