const BEIJING_OFFSET_SECONDS = 8 * 3600;

/** Simulated time: real time plus an offset that only ever grows (POST /__sim/clock). */
export class SimClock {
  private offsetMs: number;

  constructor(offsetSeconds = 0) {
    this.offsetMs = offsetSeconds * 1000;
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Unix seconds (whole). */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError("advanceSeconds must be >= 0");
    this.offsetMs += seconds * 1000;
  }
}

/** Quota day number: days roll over at 00:00 Beijing time (UTC+8). */
export function beijingDay(unixSeconds: number): number {
  return Math.floor((unixSeconds + BEIJING_OFFSET_SECONDS) / 86_400);
}

/** Quota month ("2026-11") in Beijing time, for clear_quota's monthly allowance. */
export function beijingMonth(unixSeconds: number): string {
  return new Date((unixSeconds + BEIJING_OFFSET_SECONDS) * 1000).toISOString().slice(0, 7);
}

/** Seconds until the next 00:00 Beijing time. */
export function secondsToBeijingMidnight(unixSeconds: number): number {
  return (beijingDay(unixSeconds) + 1) * 86_400 - BEIJING_OFFSET_SECONDS - unixSeconds;
}
