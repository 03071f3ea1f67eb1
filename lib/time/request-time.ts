import "server-only";

/** The time a server component renders at (progress, durations, "x minutes ago"). */
export function requestTime(): number {
  return Date.now();
}
