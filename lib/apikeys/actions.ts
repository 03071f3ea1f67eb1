"use server";

import { getTranslations } from "next-intl/server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorize } from "@/lib/auth/session";
import { deniedResult, invalidForm } from "@/lib/forms/denied";
import type { ActionResult } from "@/lib/forms/result";
import { createApiKey, createApiKeySchema, revokeApiKey } from "./keys";

/** Creates a key; the key itself goes back to the form once (reveal) and nowhere else. */
export async function createApiKeyAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("apikeys:manage", "createApiKey");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("apikeys");
  const parsed = createApiKeySchema.safeParse({
    name: formData.get("name"),
    scopes: formData.getAll("scopes"),
  });
  if (!parsed.success)
    return invalidForm(parsed.error, (k) => t(`errors.${k}` as never), t("errors.fixFields"));
  const created = createApiKey(parsed.data, authz.staff);
  revalidatePath("/api-keys");
  return { ok: true, message: t("createdToast", { name: parsed.data.name }), reveal: { key: created.key } };
}

const idSchema = z.coerce.number().int().positive();

export async function revokeApiKeyAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("apikeys:manage", "revokeApiKey");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("apikeys");
  const id = idSchema.safeParse(formData.get("id"));
  const outcome = id.success ? revokeApiKey(id.data, authz.staff) : "missing";
  if (outcome === "missing") return { ok: false, message: t("errors.notFound") };
  revalidatePath("/api-keys");
  return { ok: true, message: outcome === "already" ? t("alreadyRevoked") : t("revokedToast") };
}
