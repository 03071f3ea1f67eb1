"use server";

import { eq, sql } from "drizzle-orm";
import { getTranslations } from "next-intl/server";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { recordAudit } from "@/lib/audit/record";
import { clientIp } from "@/lib/auth/client-ip";
import { generatePassword, hashPassword } from "@/lib/auth/password";
import { authorize } from "@/lib/auth/session";
import { db, schema } from "@/lib/db";
import { deniedResult, fieldError, invalidForm } from "@/lib/forms/denied";
import type { ActionResult } from "@/lib/forms/result";
import { insertStaff } from "./create";
import { getStaff, otherActiveAdmins } from "./queries";
import { changeRoleSchema, createStaffSchema, setDisabledSchema, staffIdSchema } from "./schema";

const s = schema.staffUsers;
const bumpSession = sql`${s.sessionVersion} + 1`;

export async function createStaff(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("staff:manage", "createStaff");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("staff");
  const parsed = createStaffSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success)
    return invalidForm(parsed.error, (k) => t(`errors.${k}` as never), t("errors.fixFields"));
  const input = parsed.data;
  if (db().select({ id: s.id }).from(s).where(eq(s.email, input.email)).get()) {
    return fieldError("email", t("errors.emailTaken"), t("errors.fixFields"));
  }
  const password = input.password ?? generatePassword();
  let created: { id: number };
  try {
    created = await insertStaff({ ...input, password });
  } catch (error) {
    // Another admin added the same email while the password was being hashed.
    if (error instanceof Error && /UNIQUE constraint failed: staff_users\.email/.test(error.message))
      return fieldError("email", t("errors.emailTaken"), t("errors.fixFields"));
    throw error;
  }
  recordAudit({
    actor: authz.staff,
    action: "staff.created",
    target: { type: "staff", id: created.id, label: input.email },
    details: { role: input.role },
    ip: clientIp(await headers()),
  });
  revalidatePath("/staff");
  return {
    ok: true,
    message: t("createdToast", { email: input.email }),
    reveal: input.password ? undefined : { email: input.email, password },
  };
}

export async function changeStaffRole(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("staff:manage", "changeStaffRole");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("staff");
  const parsed = changeRoleSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t("errors.notFound") };
  const target = getStaff(parsed.data.id);
  if (!target) return { ok: false, message: t("errors.notFound") };
  if (target.role === parsed.data.role) return { ok: true, message: t("nothingChanged") };
  if (target.id === authz.staff.id) return { ok: false, message: t("errors.notYourself") };
  if (target.role === "admin" && otherActiveAdmins(target.id) === 0) {
    return { ok: false, message: t("errors.lastAdmin") };
  }
  db()
    .update(s)
    .set({ role: parsed.data.role, sessionVersion: bumpSession, updatedAt: new Date() })
    .where(eq(s.id, target.id))
    .run();
  recordAudit({
    actor: authz.staff,
    action: "staff.role_changed",
    target: { type: "staff", id: target.id, label: target.email },
    details: { from: target.role, to: parsed.data.role },
    ip: clientIp(await headers()),
  });
  revalidatePath("/staff");
  return { ok: true, message: t("roleChangedToast", { email: target.email }) };
}

export async function setStaffDisabled(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("staff:manage", "setStaffDisabled");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("staff");
  const parsed = setDisabledSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t("errors.notFound") };
  const target = getStaff(parsed.data.id);
  if (!target) return { ok: false, message: t("errors.notFound") };
  const disable = parsed.data.disabled === "true";
  if (disable && target.id === authz.staff.id) return { ok: false, message: t("errors.notYourself") };
  if (disable && target.role === "admin" && otherActiveAdmins(target.id) === 0) {
    return { ok: false, message: t("errors.lastAdmin") };
  }
  db()
    .update(s)
    .set({ disabledAt: disable ? new Date() : null, sessionVersion: bumpSession, updatedAt: new Date() })
    .where(eq(s.id, target.id))
    .run();
  recordAudit({
    actor: authz.staff,
    action: disable ? "staff.disabled" : "staff.enabled",
    target: { type: "staff", id: target.id, label: target.email },
    ip: clientIp(await headers()),
  });
  revalidatePath("/staff");
  return { ok: true, message: t(disable ? "disabledToast" : "enabledToast", { email: target.email }) };
}

export async function resetStaffPassword(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("staff:manage", "resetStaffPassword");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("staff");
  const parsed = staffIdSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t("errors.notFound") };
  const target = getStaff(parsed.data.id);
  if (!target) return { ok: false, message: t("errors.notFound") };
  if (target.id === authz.staff.id) return { ok: false, message: t("errors.notYourself") };
  const password = generatePassword();
  db()
    .update(s)
    .set({ passwordHash: await hashPassword(password), sessionVersion: bumpSession, updatedAt: new Date() })
    .where(eq(s.id, target.id))
    .run();
  db().delete(schema.loginThrottle).where(eq(schema.loginThrottle.email, target.email)).run();
  recordAudit({
    actor: authz.staff,
    action: "staff.password_reset",
    target: { type: "staff", id: target.id, label: target.email },
    ip: clientIp(await headers()),
  });
  revalidatePath("/staff");
  return {
    ok: true,
    message: t("passwordResetToast", { email: target.email }),
    reveal: { email: target.email, password },
  };
}
