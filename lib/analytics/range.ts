import { z } from "zod";
import { beijingDay, DAY_MS } from "@/lib/time/beijing";

export const RANGE_PRESETS = [7, 30, 90, 365] as const;
const DEFAULT_DAYS = 30;
const day = z.iso.date();

function daysBefore(to: string, days: number): string {
  return new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The trend's date range from the URL (`from`, `to`: Beijing days, inclusive). Missing or malformed
 * values fall back to the last 30 days; a reversed range is swapped.
 */
export function parseRange(params: Record<string, string | string[] | undefined>, now = Date.now()) {
  const read = (key: string) => {
    const value = params[key];
    const parsed = day.safeParse(Array.isArray(value) ? value[0] : value);
    return parsed.success ? parsed.data : null;
  };
  const today = beijingDay(now);
  let to = read("to") ?? today;
  let from = read("from") ?? daysBefore(to, DEFAULT_DAYS);
  if (from > to) [from, to] = [to, from];
  const presets = RANGE_PRESETS.map((days) => {
    const presetFrom = daysBefore(today, days);
    return {
      days,
      href: `/overview?from=${presetFrom}&to=${today}`,
      active: from === presetFrom && to === today,
    };
  });
  return { from, to, presets };
}
