import { z } from "zod";

/**
 * Validation of the account form. Messages are keys under "accounts.errors" in the message files,
 * translated by the action that reports them.
 */
const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === ""
    ? undefined
    : typeof value === "string"
      ? value.trim()
      : value;

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

export const APPID_PATTERN = /^wx[0-9a-f]{16}$/;
export const APPSECRET_PATTERN = /^[0-9a-f]{32}$/;
export const ORIGINAL_ID_PATTERN = /^gh_[0-9A-Za-z]{6,32}$/;
export const PUSH_TOKEN_PATTERN = /^[0-9A-Za-z]{3,32}$/;
export const AES_KEY_PATTERN = /^[0-9A-Za-z]{43}$/;

const required = (schema: z.ZodString) => z.preprocess(blankToUndefined, schema);

const fields = {
  name: required(z.string({ error: "nameRequired" }).max(64, "nameTooLong")),
  appid: required(z.string({ error: "appidRequired" }).regex(APPID_PATTERN, "appidFormat")),
  originalId: required(
    z.string({ error: "originalIdRequired" }).regex(ORIGINAL_ID_PATTERN, "originalIdFormat"),
  ),
  boundToOpenPlatform: checkbox,
};

const appsecret = z.string().regex(APPSECRET_PATTERN, "appsecretFormat");
const pushToken = z.string().regex(PUSH_TOKEN_PATTERN, "pushTokenFormat");
const aesKey = z.string().regex(AES_KEY_PATTERN, "aesKeyFormat");

const newAccountFields = {
  ...fields,
  appsecret: z.preprocess(blankToUndefined, z.string({ error: "appsecretRequired" }).pipe(appsecret)),
  pushToken: z.preprocess(blankToUndefined, pushToken.optional()),
  aesKey: z.preprocess(blankToUndefined, aesKey.optional()),
};
const tokenWithKey = (v: { aesKey?: string; pushToken?: string }) => !v.aesKey || Boolean(v.pushToken);

export const createAccountSchema = z
  .object(newAccountFields)
  .refine(tokenWithKey, { path: ["pushToken"], message: "aesKeyNeedsToken" });

/** The CLI's `accounts add`: the original id may be left out (it is only shown, never used in calls). */
export const cliAccountSchema = z
  .object({
    ...newAccountFields,
    originalId: z.preprocess(
      blankToUndefined,
      z.string().regex(ORIGINAL_ID_PATTERN, "originalIdFormat").optional(),
    ),
  })
  .refine(tokenWithKey, { path: ["pushToken"], message: "aesKeyNeedsToken" });

export type CreateAccountInput = z.infer<typeof createAccountSchema>;

/**
 * Editing never shows stored secrets: a blank secret field keeps the stored value, a filled one
 * replaces it, and the optional ones can be removed.
 */
export const updateAccountSchema = z.object({
  id: z.string().min(1),
  ...fields,
  appsecret: z.preprocess(blankToUndefined, appsecret.optional()),
  pushToken: z.preprocess(blankToUndefined, pushToken.optional()),
  aesKey: z.preprocess(blankToUndefined, aesKey.optional()),
  removePushToken: checkbox,
  removeAesKey: checkbox,
});

export type UpdateAccountInput = z.infer<typeof updateAccountSchema>;

export const deleteAccountSchema = z.object({
  id: z.string().min(1),
  confirmName: z.string(),
});
