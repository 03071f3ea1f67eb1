import "server-only";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import type { Authorization } from "@/lib/auth/session";
import type { ActionResult } from "./result";

/** The refusal an action returns when authorize() says no. */
export async function deniedResult(authz: Exclude<Authorization, { ok: true }>): Promise<ActionResult> {
  const t = await getTranslations("errors");
  return { ok: false, message: authz.reason === "signed_out" ? t("signedOut") : t("forbidden") };
}

/** A refused form: zod's per-field message keys become sentences, with `summary` for the toast. */
export function invalidForm(
  error: z.ZodError,
  translate: (key: string) => string,
  summary: string,
): ActionResult {
  const fieldErrors: Record<string, string[] | undefined> = z.flattenError(error).fieldErrors;
  return {
    ok: false,
    message: summary,
    errors: Object.fromEntries(
      Object.entries(fieldErrors).map(([field, keys]) => [field, (keys ?? []).map((key) => translate(key))]),
    ),
  };
}

/** A refused form with one field's message. */
export function fieldError(field: string, message: string, summary = message): ActionResult {
  return { ok: false, message: summary, errors: { [field]: [message] } };
}
