"use server";

import { getTranslations } from "next-intl/server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorize } from "@/lib/auth/session";
import { deniedResult, fieldError, invalidForm } from "@/lib/forms/denied";
import type { ActionResult } from "@/lib/forms/result";
import { createWebhook, createWebhookSchema, deleteWebhook, redeliver } from "./endpoints";

/** Registers an endpoint; its whsec_ secret goes back to the form once (reveal) and nowhere else. */
export async function createWebhookAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("webhooks:manage", "createWebhook");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("webhooks");
  const parsed = createWebhookSchema.safeParse({
    url: formData.get("url"),
    events: formData.getAll("events"),
  });
  if (!parsed.success)
    return invalidForm(parsed.error, (k) => t(`errors.${k}` as never), t("errors.fixFields"));
  const created = await createWebhook(parsed.data, authz.staff);
  if (!created.ok)
    return fieldError(
      "url",
      created.reason === "private" ? t("errors.urlPrivate") : t("errors.urlUnresolvable"),
      t("errors.fixFields"),
    );
  revalidatePath("/webhooks");
  return { ok: true, message: t("createdToast"), reveal: { secret: created.secret } };
}

const ids = z.object({
  id: z.coerce.number().int().positive(),
  delivery: z.coerce.number().int().positive().optional(),
});

export async function deleteWebhookAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("webhooks:manage", "deleteWebhook");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("webhooks");
  const parsed = ids.safeParse(Object.fromEntries(formData));
  if (!parsed.success || !deleteWebhook(parsed.data.id, authz.staff))
    return { ok: false, message: t("errors.notFound") };
  revalidatePath("/webhooks");
  return { ok: true, message: t("deletedToast") };
}

export async function redeliverAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("webhooks:manage", "redeliverWebhook");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("webhooks");
  const parsed = ids.safeParse(Object.fromEntries(formData));
  if (!parsed.success || !parsed.data.delivery) return { ok: false, message: t("errors.notFound") };
  if (!redeliver(parsed.data.id, parsed.data.delivery, authz.staff))
    return { ok: false, message: t("errors.alreadyPending") };
  revalidatePath(`/webhooks/${parsed.data.id}`);
  return { ok: true, message: t("redeliverToast") };
}
