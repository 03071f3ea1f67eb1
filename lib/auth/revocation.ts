import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "@/lib/audit/record";
import { db, schema } from "@/lib/db";

interface TokenClaims {
  sub?: string | null;
  sv?: unknown;
}

function staffId(token: TokenClaims): number | null {
  const id = Number(token.sub);
  return Number.isInteger(id) && id > 0 ? id : null;
}

/**
 * Whether a session token still stands: its staff row exists, is not disabled, and has the session
 * version the token carries (sign-out, disable, role change and password reset move it).
 */
export function tokenStillValid(token: TokenClaims): boolean {
  const id = staffId(token);
  if (id === null || typeof token.sv !== "number") return false;
  const row = db()
    .select({ sessionVersion: schema.staffUsers.sessionVersion, disabledAt: schema.staffUsers.disabledAt })
    .from(schema.staffUsers)
    .where(eq(schema.staffUsers.id, id))
    .get();
  return !!row && !row.disabledAt && row.sessionVersion === token.sv;
}

/**
 * Ends every token of the staff member that `token` belongs to, if it is still current: the JWT is
 * stateless, so a copy of the cookie (a shared computer, a stolen cookie) would otherwise work until it
 * expires. Returns whether it moved the version (a second sign-out of the same token changes nothing).
 */
export function revokeToken(token: TokenClaims, ip: string | null = null): boolean {
  const id = staffId(token);
  if (id === null || typeof token.sv !== "number") return false;
  const changed = db()
    .update(schema.staffUsers)
    .set({ sessionVersion: sql`${schema.staffUsers.sessionVersion} + 1` })
    .where(and(eq(schema.staffUsers.id, id), eq(schema.staffUsers.sessionVersion, token.sv)))
    .returning({ email: schema.staffUsers.email })
    .get();
  if (!changed) return false;
  recordAudit({ actor: { id, email: changed.email }, action: "auth.sign_out", ip });
  return true;
}
