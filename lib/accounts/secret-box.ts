import "server-only";
import { createSecretBox, type SecretBox } from "@/lib/crypto/secrets";
import { env } from "@/lib/env";

export type AccountSecretField = "appsecret" | "push_token" | "aes_key";

const cache = globalThis as unknown as { __unionviewSecretBox?: SecretBox };

export function secretBox(): SecretBox {
  cache.__unionviewSecretBox ??= createSecretBox(env().UNIONVIEW_SECRET_KEY);
  return cache.__unionviewSecretBox;
}

/** Where a sealed account secret belongs; a value copied elsewhere fails to open. */
export function secretContext(accountId: string, field: AccountSecretField): string {
  return `account/${accountId}/${field}`;
}

export function sealAccountSecret(accountId: string, field: AccountSecretField, value: string): string {
  return secretBox().seal(value, secretContext(accountId, field));
}

export function openAccountSecret(accountId: string, field: AccountSecretField, sealed: string): string {
  return secretBox().open(sealed, secretContext(accountId, field));
}
