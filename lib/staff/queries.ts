import "server-only";
import { and, asc, eq, isNull, ne } from "drizzle-orm";
import { db, schema } from "@/lib/db";

const s = schema.staffUsers;

export function listStaff() {
  return db()
    .select({
      id: s.id,
      email: s.email,
      name: s.name,
      role: s.role,
      disabledAt: s.disabledAt,
      lastSignInAt: s.lastSignInAt,
      createdAt: s.createdAt,
    })
    .from(s)
    .orderBy(asc(s.email))
    .all();
}

export type StaffRow = ReturnType<typeof listStaff>[number];

export function getStaff(id: number) {
  return db()
    .select({ id: s.id, email: s.email, name: s.name, role: s.role, disabledAt: s.disabledAt })
    .from(s)
    .where(eq(s.id, id))
    .get();
}

/** Enabled admins other than `exceptId`: the last one may not be demoted or disabled. */
export function otherActiveAdmins(exceptId: number): number {
  return db()
    .select({ id: s.id })
    .from(s)
    .where(and(eq(s.role, "admin"), isNull(s.disabledAt), ne(s.id, exceptId)))
    .all().length;
}
