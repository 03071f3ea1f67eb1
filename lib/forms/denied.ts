import "server-only";
import { getTranslations } from "next-intl/server";
import type { Authorization } from "@/lib/auth/session";
import type { ActionResult } from "./result";

/** The refusal an action returns when authorize() says no. */
export async function deniedResult(authz: Exclude<Authorization, { ok: true }>): Promise<ActionResult> {
  const t = await getTranslations("errors");
  return { ok: false, message: authz.reason === "signed_out" ? t("signedOut") : t("forbidden") };
}

/** Turns zod's per-field message keys into sentences from the given namespace. */
export function translateFieldErrors(
  fieldErrors: Record<string, string[] | undefined>,
  translate: (key: string) => string,
): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(fieldErrors).map(([field, keys]) => [field, (keys ?? []).map((key) => translate(key))]),
  );
}
