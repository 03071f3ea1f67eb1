import "server-only";
import { eq } from "drizzle-orm";
import { db, schema, sqlite } from "@/lib/db";
import { afterFailure, isLocked } from "./throttle-policy";

export type Reservation =
  { locked: true; lockedUntil: Date } | { locked: false; failures: number; lockedUntil: Date | null };

/**
 * Counts an attempt for `email` as a failure before its password is checked, in one IMMEDIATE
 * transaction (read, decide, write with no other writer in between): parallel attempts each see the
 * count the previous one left, so no more than the free failures are ever checked before the lock
 * takes effect. A successful attempt then forgets the count ({@link forgetFailures}).
 */
export function reserveAttempt(email: string, now: Date): Reservation {
  return sqlite()
    .transaction((): Reservation => {
      const row = db().select().from(schema.loginThrottle).where(eq(schema.loginThrottle.email, email)).get();
      if (isLocked(row, now)) return { locked: true, lockedUntil: row!.lockedUntil! };
      const next = afterFailure(row, now);
      db()
        .insert(schema.loginThrottle)
        .values({ email, ...next })
        .onConflictDoUpdate({ target: schema.loginThrottle.email, set: next })
        .run();
      return { locked: false, failures: next.failures, lockedUntil: next.lockedUntil };
    })
    .immediate();
}

export function forgetFailures(email: string): void {
  db().delete(schema.loginThrottle).where(eq(schema.loginThrottle.email, email)).run();
}
