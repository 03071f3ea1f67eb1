"use server";

import { z } from "zod";
import { serverAction } from "@/lib/forms/action";
import { createApiKey, createApiKeySchema, revokeApiKey } from "./keys";

/** Creates a key; the key itself goes back to the form once (reveal) and nowhere else. */
export const createApiKeyAction = serverAction(
  {
    name: "createApiKey",
    permission: "apikeys:manage",
    messages: "apikeys",
    schema: createApiKeySchema,
    fields: (formData) => ({ name: formData.get("name"), scopes: formData.getAll("scopes") }),
    revalidate: () => ["/api-keys"],
  },
  async ({ input, staff, t }) => {
    const created = createApiKey(input, staff);
    return { ok: true, message: t("createdToast", { name: input.name }), reveal: { key: created.key } };
  },
);

export const revokeApiKeyAction = serverAction(
  {
    name: "revokeApiKey",
    permission: "apikeys:manage",
    messages: "apikeys",
    schema: z.object({ id: z.coerce.number().int().positive() }),
    invalid: { message: "errors.notFound" },
    revalidate: () => ["/api-keys"],
  },
  async ({ input, staff, t }) => {
    const outcome = revokeApiKey(input.id, staff);
    if (outcome === "missing") return { ok: false, message: t("errors.notFound") };
    return { ok: true, message: outcome === "already" ? t("alreadyRevoked") : t("revokedToast") };
  },
);
