"use server";

import { eq, sql } from "drizzle-orm";
import { AuthError, CredentialsSignin } from "next-auth";
import { getTranslations } from "next-intl/server";
import { cookies, headers } from "next/headers";
import { recordAudit } from "@/lib/audit/record";
import { db, schema } from "@/lib/db";
import { LOCALE_COOKIE, toLocale } from "@/i18n/locales";
import type { ActionResult } from "@/lib/forms/result";
import { signIn, signOut } from "@/lib/auth/auth";
import { clientIp } from "@/lib/auth/client-ip";
import { safeRedirect } from "@/lib/auth/redirect";
import { currentStaff } from "@/lib/auth/session";

export async function signInWithPassword(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const t = await getTranslations("login");
  const email = String(formData.get("email") ?? "").trim();
  const password = String(formData.get("password") ?? "");
  if (!email || !password) {
    return {
      ok: false,
      message: t("errors.missing"),
      errors: {
        email: email ? [] : [t("errors.emailRequired")],
        password: password ? [] : [t("errors.passwordRequired")],
      },
    };
  }
  try {
    await signIn("credentials", { email, password, redirectTo: safeRedirect(formData.get("next")) });
    return { ok: true };
  } catch (error) {
    if (error instanceof CredentialsSignin) {
      const code = error.code ?? "invalid";
      if (code.startsWith("throttled")) {
        return {
          ok: false,
          message: t("errors.throttled", { seconds: Number(code.split(":")[1] ?? 1) || 1 }),
        };
      }
      if (code.startsWith("locked")) {
        return { ok: false, message: t("errors.locked", { minutes: Number(code.split(":")[1] ?? 1) || 1 }) };
      }
      return { ok: false, message: t(code === "disabled" ? "errors.disabled" : "errors.invalid") };
    }
    if (error instanceof AuthError) return { ok: false, message: t("errors.unavailable") };
    throw error; // the redirect after a successful sign-in
  }
}

/**
 * Signing out also moves the member's session version: the JWT is stateless, so without this a copy
 * of the cookie (a shared computer, a stolen cookie) would keep working until it expires. It ends
 * the member's sessions in other browsers too.
 */
export async function signOutAction(): Promise<void> {
  const staff = await currentStaff();
  if (staff) {
    db()
      .update(schema.staffUsers)
      .set({ sessionVersion: sql`${schema.staffUsers.sessionVersion} + 1` })
      .where(eq(schema.staffUsers.id, staff.id))
      .run();
    recordAudit({ actor: staff, action: "auth.sign_out", ip: clientIp(await headers()) });
  }
  await signOut({ redirectTo: "/login" });
}

export async function setLocale(locale: string): Promise<void> {
  (await cookies()).set(LOCALE_COOKIE, toLocale(locale), {
    path: "/",
    maxAge: 365 * 24 * 60 * 60,
    sameSite: "lax",
  });
}
