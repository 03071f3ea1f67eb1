"use server";

import { eq, sql } from "drizzle-orm";
import { generatePassword, hashPassword } from "@/lib/auth/password";
import { db, schema } from "@/lib/db";
import { serverAction } from "@/lib/forms/action";
import { fieldError } from "@/lib/forms/denied";
import { insertStaff } from "./create";
import { getStaff, otherActiveAdmins } from "./queries";
import { changeRoleSchema, createStaffSchema, setDisabledSchema, staffIdSchema } from "./schema";

const s = schema.staffUsers;
const bumpSession = sql`${s.sessionVersion} + 1`;

export const createStaff = serverAction(
  {
    name: "createStaff",
    permission: "staff:manage",
    messages: "staff",
    schema: createStaffSchema,
    revalidate: () => ["/staff"],
  },
  async ({ input, t, audit }) => {
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
    audit({
      action: "staff.created",
      target: { type: "staff", id: created.id, label: input.email },
      details: { role: input.role },
    });
    return {
      ok: true,
      message: t("createdToast", { email: input.email }),
      reveal: input.password ? undefined : { email: input.email, password },
    };
  },
);

export const changeStaffRole = serverAction(
  {
    name: "changeStaffRole",
    permission: "staff:manage",
    messages: "staff",
    schema: changeRoleSchema,
    invalid: { message: "errors.notFound" },
    revalidate: () => ["/staff"],
  },
  async ({ input, staff, t, audit }) => {
    const target = getStaff(input.id);
    if (!target) return { ok: false, message: t("errors.notFound") };
    if (target.role === input.role) return { ok: true, message: t("nothingChanged") };
    if (target.id === staff.id) return { ok: false, message: t("errors.notYourself") };
    if (target.role === "admin" && otherActiveAdmins(target.id) === 0) {
      return { ok: false, message: t("errors.lastAdmin") };
    }
    db()
      .update(s)
      .set({ role: input.role, sessionVersion: bumpSession, updatedAt: new Date() })
      .where(eq(s.id, target.id))
      .run();
    audit({
      action: "staff.role_changed",
      target: { type: "staff", id: target.id, label: target.email },
      details: { from: target.role, to: input.role },
    });
    return { ok: true, message: t("roleChangedToast", { email: target.email }) };
  },
);

export const setStaffDisabled = serverAction(
  {
    name: "setStaffDisabled",
    permission: "staff:manage",
    messages: "staff",
    schema: setDisabledSchema,
    invalid: { message: "errors.notFound" },
    revalidate: () => ["/staff"],
  },
  async ({ input, staff, t, audit }) => {
    const target = getStaff(input.id);
    if (!target) return { ok: false, message: t("errors.notFound") };
    const disable = input.disabled === "true";
    if (disable && target.id === staff.id) return { ok: false, message: t("errors.notYourself") };
    if (disable && target.role === "admin" && otherActiveAdmins(target.id) === 0) {
      return { ok: false, message: t("errors.lastAdmin") };
    }
    db()
      .update(s)
      .set({ disabledAt: disable ? new Date() : null, sessionVersion: bumpSession, updatedAt: new Date() })
      .where(eq(s.id, target.id))
      .run();
    audit({
      action: disable ? "staff.disabled" : "staff.enabled",
      target: { type: "staff", id: target.id, label: target.email },
    });
    return { ok: true, message: t(disable ? "disabledToast" : "enabledToast", { email: target.email }) };
  },
);

export const resetStaffPassword = serverAction(
  {
    name: "resetStaffPassword",
    permission: "staff:manage",
    messages: "staff",
    schema: staffIdSchema,
    invalid: { message: "errors.notFound" },
    revalidate: () => ["/staff"],
  },
  async ({ input, staff, t, audit }) => {
    const target = getStaff(input.id);
    if (!target) return { ok: false, message: t("errors.notFound") };
    if (target.id === staff.id) return { ok: false, message: t("errors.notYourself") };
    const password = generatePassword();
    db()
      .update(s)
      .set({ passwordHash: await hashPassword(password), sessionVersion: bumpSession, updatedAt: new Date() })
      .where(eq(s.id, target.id))
      .run();
    db().delete(schema.loginThrottle).where(eq(schema.loginThrottle.email, target.email)).run();
    audit({
      action: "staff.password_reset",
      target: { type: "staff", id: target.id, label: target.email },
    });
    return {
      ok: true,
      message: t("passwordResetToast", { email: target.email }),
      reveal: { email: target.email, password },
    };
  },
);
