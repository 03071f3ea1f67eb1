import type { AccountSummary } from "./queries";
import type { UpdateAccountInput } from "./schema";

const EDITABLE = ["name", "appid", "originalId", "boundToOpenPlatform"] as const;
export type EditableField = (typeof EDITABLE)[number];
export type SecretField = "appsecret" | "push_token" | "aes_key";

/** What an edit of an account changes, decided from the stored account and the form alone (no I/O). */
export interface AccountUpdatePlan {
  /** Plain columns whose value changes, with their new values. */
  fields: Partial<Pick<UpdateAccountInput, EditableField>>;
  /** Secrets to seal and store (new values), and those to remove. */
  replace: Partial<Record<SecretField, string>>;
  remove: SecretField[];
  /** The AppID or AppSecret changes: the credentials must be tested before anything is stored. */
  credentialsChanged: boolean;
  /** A secret is replaced or removed (needs the encryption key). */
  touchesSecrets: boolean;
  /** The form would leave an EncodingAESKey without a push token. */
  aesKeyWithoutToken: boolean;
  nothing: boolean;
}

export function planAccountUpdate(
  current: Pick<AccountSummary, EditableField | "hasPushToken" | "hasAesKey">,
  input: UpdateAccountInput,
): AccountUpdatePlan {
  const fields: AccountUpdatePlan["fields"] = {};
  for (const field of EDITABLE) {
    if (current[field] !== input[field]) (fields as Record<string, unknown>)[field] = input[field];
  }
  const replace: AccountUpdatePlan["replace"] = {};
  const remove: SecretField[] = [];
  if (input.appsecret) replace.appsecret = input.appsecret;
  if (input.pushToken) replace.push_token = input.pushToken;
  else if (input.removePushToken && current.hasPushToken) remove.push("push_token");
  if (input.aesKey) replace.aes_key = input.aesKey;
  else if (input.removeAesKey && current.hasAesKey) remove.push("aes_key");

  const willHaveToken = input.pushToken ? true : input.removePushToken ? false : current.hasPushToken;
  const willHaveAesKey = input.aesKey ? true : input.removeAesKey ? false : current.hasAesKey;
  const replacing = Boolean(input.appsecret || input.pushToken || input.aesKey);
  return {
    fields,
    replace,
    remove,
    credentialsChanged: Boolean(input.appsecret) || input.appid !== current.appid,
    touchesSecrets: replacing,
    aesKeyWithoutToken: willHaveAesKey && !willHaveToken,
    nothing: Object.keys(fields).length === 0 && Object.keys(replace).length === 0 && remove.length === 0,
  };
}

/** The audit's list of credentials set or removed (names only, never values). */
export function credentialsTouched(plan: AccountUpdatePlan): string[] {
  return (["appsecret", "push_token", "aes_key"] as const).flatMap((f) =>
    plan.replace[f] !== undefined ? [f] : plan.remove.includes(f) ? [`${f} (removed)`] : [],
  );
}
