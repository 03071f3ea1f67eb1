import "server-only";
import { sqlite as connection } from "@/lib/db";

const HOUR = 3_600_000;

export interface PushSummary {
  lastAt: number | null;
  last24h: number;
}

export function pushSummary(accountId: string, now: number): PushSummary {
  const sqlite = connection();
  const lastAt = sqlite
    .prepare("SELECT max(received_at) FROM push_events WHERE account_id = ?")
    .pluck()
    .get(accountId) as number | null;
  const last24h = sqlite
    .prepare("SELECT count(*) FROM push_events WHERE account_id = ? AND received_at >= ?")
    .pluck()
    .get(accountId, now - 24 * HOUR) as number;
  return { lastAt, last24h };
}

export interface RecentPushEvent {
  id: number;
  receivedAt: number;
  createTime: number;
  openid: string;
  event: string;
  eventKey: string | null;
  outcome: "applied" | "stale" | "noop" | "message";
  mode: "plain" | "compat" | "safe";
  personId: number | null;
}

export function recentPushEvents(accountId: string, limit = 50): RecentPushEvent[] {
  const sqlite = connection();
  return sqlite
    .prepare(
      `SELECT e.id, e.received_at AS receivedAt, e.create_time AS createTime, e.from_user AS openid, e.event,
              e.event_key AS eventKey, e.outcome, e.mode, f.person_id AS personId
         FROM push_events e LEFT JOIN followers f ON f.account_id = e.account_id AND f.openid = e.from_user
        WHERE e.account_id = ? ORDER BY e.received_at DESC, e.id DESC LIMIT ?`,
    )
    .all(accountId, limit) as RecentPushEvent[];
}

export interface HourBucket {
  /** Start of the hour (ms). */
  at: number;
  follows: number;
  unfollows: number;
  other: number;
}

/** Events per hour over the last `hours` hours, oldest first, empty hours included. */
export function pushEventsPerHour(accountId: string, now: number, hours = 24): HourBucket[] {
  const sqlite = connection();
  const first = Math.floor(now / HOUR) * HOUR - (hours - 1) * HOUR;
  const rows = sqlite
    .prepare(
      `SELECT received_at / ${HOUR} * ${HOUR} AS at, sum(event = 'subscribe') AS follows,
              sum(event = 'unsubscribe') AS unfollows, sum(event NOT IN ('subscribe', 'unsubscribe')) AS other
         FROM push_events WHERE account_id = ? AND received_at >= ? GROUP BY 1`,
    )
    .all(accountId, first) as HourBucket[];
  const byHour = new Map(rows.map((r) => [r.at, r]));
  return Array.from({ length: hours }, (_, i) => {
    const at = first + i * HOUR;
    return byHour.get(at) ?? { at, follows: 0, unfollows: 0, other: 0 };
  });
}
