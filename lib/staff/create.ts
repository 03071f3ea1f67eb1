import "server-only";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/roles";
import { db, schema } from "@/lib/db";

/** Inserts a staff member; used by the staff page, the demo seed and the tests' seed. */
export async function insertStaff(input: { email: string; name: string; role: Role; password: string }) {
  return db()
    .insert(schema.staffUsers)
    .values({
      email: input.email.trim().toLowerCase(),
      name: input.name,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    })
    .returning({ id: schema.staffUsers.id })
    .get();
}
