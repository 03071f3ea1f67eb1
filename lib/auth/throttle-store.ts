import "server-only";
import { sqlite } from "@/lib/db";
import { afterFailure, isLocked, type ThrottleState } from "./throttle-policy";

export type Reservation =
  { locked: true; lockedUntil: Date } | { locked: false; failures: number; lockedUntil: Date | null };

/** Whose failures an attempt counts towards: an email (attempts from unknown browsers), or one trusted browser. */
export type ThrottleKey = { email: string } | { device: string };

function target(key: ThrottleKey): { table: string; column: string; value: string } {
  return "email" in key
    ? { table: "login_throttle", column: "email", value: key.email }
    : { table: "login_device_throttle", column: "device", value: key.device };
}

interface Row {
  failures: number;
  last_failed_at: number;
  locked_until: number | null;
}

/**
 * Counts an attempt as a failure before its password is checked, in one IMMEDIATE transaction (read,
 * decide, write with no other writer in between): parallel attempts each see the count the previous
 * one left, so no more than the free failures are ever checked before the lock takes effect. A
 * successful attempt then forgets the count ({@link forgetFailures}).
 */
export function reserveAttempt(key: ThrottleKey, now: Date): Reservation {
  const { table, column, value } = target(key);
  const conn = sqlite();
  return conn
    .transaction((): Reservation => {
      const row = conn
        .prepare(`SELECT failures, last_failed_at, locked_until FROM ${table} WHERE ${column} = ?`)
        .get(value) as Row | undefined;
      const state: ThrottleState | undefined = row && {
        failures: row.failures,
        lastFailedAt: new Date(row.last_failed_at),
        lockedUntil: row.locked_until === null ? null : new Date(row.locked_until),
      };
      if (isLocked(state, now)) return { locked: true, lockedUntil: state!.lockedUntil! };
      const next = afterFailure(state, now);
      conn
        .prepare(
          `INSERT INTO ${table} (${column}, failures, last_failed_at, locked_until) VALUES (?, ?, ?, ?)
           ON CONFLICT (${column}) DO UPDATE SET failures = excluded.failures,
             last_failed_at = excluded.last_failed_at, locked_until = excluded.locked_until`,
        )
        .run(value, next.failures, next.lastFailedAt.getTime(), next.lockedUntil?.getTime() ?? null);
      return { locked: false, failures: next.failures, lockedUntil: next.lockedUntil };
    })
    .immediate();
}

export function forgetFailures(key: ThrottleKey): void {
  const { table, column, value } = target(key);
  sqlite().prepare(`DELETE FROM ${table} WHERE ${column} = ?`).run(value);
}
