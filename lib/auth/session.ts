import "server-only";
import { eq } from "drizzle-orm";
import { forbidden, redirect } from "next/navigation";
import { headers } from "next/headers";
import { cache } from "react";
import { recordAudit } from "@/lib/audit/record";
import { db, schema } from "@/lib/db";
import { auth } from "./auth";
import { clientIp } from "./client-ip";
import { can, type Permission, type Role } from "./roles";

export interface StaffSession {
  id: number;
  email: string;
  name: string;
  role: Role;
}

/**
 * The signed-in staff member, re-read from the database on every request: the role comes from the
 * row, not the token, and a disabled user or a token older than the last password reset, role change
 * or disable gets null.
 */
export const currentStaff = cache(async (): Promise<StaffSession | null> => {
  const session = await auth();
  const id = Number(session?.user?.id);
  if (!session || !Number.isInteger(id) || id <= 0) return null;
  const row = db()
    .select({
      id: schema.staffUsers.id,
      email: schema.staffUsers.email,
      name: schema.staffUsers.name,
      role: schema.staffUsers.role,
      sessionVersion: schema.staffUsers.sessionVersion,
      disabledAt: schema.staffUsers.disabledAt,
    })
    .from(schema.staffUsers)
    .where(eq(schema.staffUsers.id, id))
    .get();
  if (!row || row.disabledAt || row.sessionVersion !== session.user.sessionVersion) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
});

/** For pages and layouts: signed out → the sign-in page; lacking the permission → 403 page. */
export async function requirePagePermission(permission?: Permission): Promise<StaffSession> {
  const staff = await currentStaff();
  if (!staff) redirect("/login?expired=1");
  if (permission && !can(staff.role, permission)) forbidden();
  return staff;
}

export type Authorization =
  | { ok: true; staff: StaffSession }
  | { ok: false; reason: "signed_out" | "forbidden"; staff: StaffSession | null };

/**
 * For server actions and route handlers: checks the session and permission and audits refusals of
 * signed-in staff (someone calling an admin action they can't see in the UI is worth knowing about).
 */
export async function authorize(permission: Permission, via: string): Promise<Authorization> {
  const staff = await currentStaff();
  if (!staff) return { ok: false, reason: "signed_out", staff: null };
  if (!can(staff.role, permission)) {
    recordAudit({
      actor: staff,
      action: "access.denied",
      target: { type: "page", label: via },
      details: { permission, role: staff.role },
      ip: clientIp(await headers()),
    });
    return { ok: false, reason: "forbidden", staff };
  }
  return { ok: true, staff };
}
