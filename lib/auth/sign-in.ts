import "server-only";
import { eq } from "drizzle-orm";
import { recordAudit } from "@/lib/audit/record";
import { db, schema } from "@/lib/db";
import { issueDeviceToken, trustedDevice } from "./device-cookie";
import { verifyPassword } from "./password";
import type { Role } from "./roles";
import { signInBuckets } from "./sign-in-limits";
import { forgetFailures, reserveAttempt, type ThrottleKey } from "./throttle-store";

export type SignInOutcome =
  | {
      ok: true;
      user: { id: number; email: string; name: string; role: Role; sessionVersion: number };
      /** A device token to add to the browser's device cookie (when it did not present one for this email). */
      newDeviceToken?: string;
    }
  | { ok: false; reason: "invalid" | "locked" | "disabled"; lockedUntil?: Date }
  | { ok: false; reason: "throttled"; retryAfterMs: number };

export interface SignInClient {
  /** The client's address as the nearest proxy saw it (lib/auth/client-ip.ts clientAddress), for the per-client limit. */
  address?: string | null;
  /** The browser's device cookie (lib/auth/device-cookie.ts). */
  deviceCookie?: string | null;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Checks a staff sign-in. Unknown emails and wrong passwords look the same to the caller and cost
 * the same time; both count towards the lock, and every refusal is audited.
 *
 * Limits (ARCHITECTURE.md, "Sign-in limits"): a browser that presents a valid device cookie for the
 * email is throttled only per device; any other attempt first takes a token from its client's bucket
 * and from the bucket shared by all unknown browsers, then counts towards the email's lock.
 */
export async function checkSignIn(
  rawEmail: string,
  password: string,
  ip: string | null,
  client: SignInClient = {},
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

  const device = trustedDevice(client.deviceCookie, email);
  if (!device) {
    // Unknown browsers: per-client and shared buckets, checked before any password work. Only the
    // first refusal of a run is audited, so a flood does not write a row per request.
    const buckets = signInBuckets();
    for (const [bucket, key, scope] of [
      [buckets.perClient, client.address ?? "unknown", "client"],
      [buckets.unknownBrowsers, "all", "all_unknown_browsers"],
    ] as const) {
      const taken = bucket.take(key, now.getTime());
      if (taken.ok) continue;
      if (taken.firstRefusal)
        recordAudit({
          actor,
          action: "auth.throttled",
          details: { scope, address: client.address ?? null },
          ip,
        });
      return { ok: false, reason: "throttled", retryAfterMs: taken.retryAfterMs };
    }
  }
  const throttleKey: ThrottleKey = device ? { device } : { email };

  // The attempt counts as a failure before the (slow) password check; success forgets it.
  const reserved = reserveAttempt(throttleKey, now);
  if (reserved.locked) {
    await verifyPassword(password, null);
    recordAudit({
      actor,
      action: "auth.sign_in_failed",
      details: { reason: "locked", ...(device ? { trustedBrowser: true } : {}) },
      ip,
    });
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
        ...(device ? { trustedBrowser: true } : {}),
      },
      ip,
    });
    if (next.lockedUntil) {
      recordAudit({
        actor,
        action: "auth.locked",
        details: { until: next.lockedUntil.toISOString(), ...(device ? { trustedBrowser: true } : {}) },
        ip,
      });
      return { ok: false, reason: "locked", lockedUntil: next.lockedUntil };
    }
    return { ok: false, reason: "invalid" };
  }

  forgetFailures(throttleKey);
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
    ...(device ? {} : { newDeviceToken: issueDeviceToken(email) }),
  };
}
