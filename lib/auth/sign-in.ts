import "server-only";
import { eq } from "drizzle-orm";
import { recordAudit } from "@/lib/audit/record";
import { db, schema } from "@/lib/db";
import { verifyPassword } from "./password";
import type { Role } from "./roles";
import { forgetFailures, reserveAttempt } from "./throttle-store";

export type SignInOutcome =
  | { ok: true; user: { id: number; email: string; name: string; role: Role; sessionVersion: number } }
  | { ok: false; reason: "invalid" | "locked" | "disabled"; lockedUntil?: Date };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Checks a staff sign-in. Unknown emails and wrong passwords look the same to the caller and cost
 * the same time; both count towards the per-email lock, and every refusal is audited.
 */
export async function checkSignIn(
  rawEmail: string,
  password: string,
  ip: string | null,
): Promise<SignInOutcome> {
  const email = normaliseEmail(rawEmail);
  const now = new Date();
  const user = db()
    .select({
      id: schema.staffUsers.id,
      email: schema.staffUsers.email,
      name: schema.staffUsers.name,
      role: schema.staffUsers.role,
      passwordHash: schema.staffUsers.passwordHash,
      sessionVersion: schema.staffUsers.sessionVersion,
      disabledAt: schema.staffUsers.disabledAt,
    })
    .from(schema.staffUsers)
    .where(eq(schema.staffUsers.email, email))
    .get();
  // Someone who typed their password into the email box must not find it in the audit log (and its
  // CSV export): a refused value that is no staff member's email and not shaped like one is not kept.
  const keepTyped = Boolean(user) || EMAIL_SHAPE.test(email);
  const actor = { id: user?.id ?? null, email: keepTyped ? email : null };

  // The attempt counts as a failure before the (slow) password check; success forgets it.
  const reserved = reserveAttempt(email, now);
  if (reserved.locked) {
    await verifyPassword(password, null);
    recordAudit({ actor, action: "auth.sign_in_failed", details: { reason: "locked" }, ip });
    return { ok: false, reason: "locked", lockedUntil: reserved.lockedUntil };
  }

  const passwordOk = await verifyPassword(password, user?.passwordHash);
  if (!user || !passwordOk) {
    const next = reserved;
    recordAudit({
      actor,
      action: "auth.sign_in_failed",
      details: {
        reason: user ? "wrong_password" : keepTyped ? "unknown_email" : "not_an_email",
        failures: next.failures,
      },
      ip,
    });
    if (next.lockedUntil) {
      recordAudit({ actor, action: "auth.locked", details: { until: next.lockedUntil.toISOString() }, ip });
      return { ok: false, reason: "locked", lockedUntil: next.lockedUntil };
    }
    return { ok: false, reason: "invalid" };
  }

  forgetFailures(email);
  if (user.disabledAt) {
    recordAudit({ actor, action: "auth.sign_in_failed", details: { reason: "disabled" }, ip });
    return { ok: false, reason: "disabled" };
  }

  db().update(schema.staffUsers).set({ lastSignInAt: now }).where(eq(schema.staffUsers.id, user.id)).run();
  recordAudit({ actor, action: "auth.sign_in", ip });
  return {
    ok: true,
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      sessionVersion: user.sessionVersion,
    },
  };
}
