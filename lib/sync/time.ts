const BEIJING_OFFSET_MS = 8 * 60 * 60_000;
const DAY_MS = 86_400_000;

/** The next 00:00 in Beijing (UTC+8) after `at`: when WeChat's daily quotas reset. */
export function nextBeijingMidnight(at: number): number {
  return Math.floor((at + BEIJING_OFFSET_MS) / DAY_MS + 1) * DAY_MS - BEIJING_OFFSET_MS;
}
