"use server";

import { z } from "zod";
import { serverAction } from "@/lib/forms/action";
import { fieldError } from "@/lib/forms/denied";
import { createWebhook, createWebhookSchema, deleteWebhook, redeliver } from "./endpoints";

/** Registers an endpoint; its whsec_ secret goes back to the form once (reveal) and nowhere else. */
export const createWebhookAction = serverAction(
  {
    name: "createWebhook",
    permission: "webhooks:manage",
    messages: "webhooks",
    schema: createWebhookSchema,
    fields: (formData) => ({ url: formData.get("url"), events: formData.getAll("events") }),
    revalidate: () => ["/webhooks"],
  },
  async ({ input, staff, t }) => {
    const created = await createWebhook(input, staff);
    if (!created.ok)
      return fieldError(
        "url",
        created.reason === "private" ? t("errors.urlPrivate") : t("errors.urlUnresolvable"),
        t("errors.fixFields"),
      );
    return { ok: true, message: t("createdToast"), reveal: { secret: created.secret } };
  },
);

export const deleteWebhookAction = serverAction(
  {
    name: "deleteWebhook",
    permission: "webhooks:manage",
    messages: "webhooks",
    schema: z.object({ id: z.coerce.number().int().positive() }),
    invalid: { message: "errors.notFound" },
    revalidate: () => ["/webhooks"],
  },
  async ({ input, staff, t }) =>
    deleteWebhook(input.id, staff)
      ? { ok: true, message: t("deletedToast") }
      : { ok: false, message: t("errors.notFound") },
);

export const redeliverAction = serverAction(
  {
    name: "redeliverWebhook",
    permission: "webhooks:manage",
    messages: "webhooks",
    schema: z.object({
      id: z.coerce.number().int().positive(),
      delivery: z.coerce.number().int().positive(),
    }),
    invalid: { message: "errors.notFound" },
    revalidate: (input) => [`/webhooks/${input.id}`],
  },
  async ({ input, staff, t }) =>
    redeliver(input.id, input.delivery, staff)
      ? { ok: true, message: t("redeliverToast") }
      : { ok: false, message: t("errors.alreadyPending") },
);
