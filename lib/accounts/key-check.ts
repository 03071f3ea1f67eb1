import "server-only";
import { getTranslations } from "next-intl/server";
import { sealedKeyId } from "@/lib/crypto/secrets";
import { db, schema } from "@/lib/db";
import { openAccountSecret, secretBox } from "./secret-box";

export type KeyStatus =
  | { ok: true }
  | { ok: false; affectedAccounts: number; storedKeyIds: string[]; configuredKeyId: string; message: string };

/**
 * Whether UNIONVIEW_SECRET_KEY opens the credentials already stored. A wrong key must not crash
 * the app or rewrite anything: the dashboard keeps running, says what is wrong, and refuses to
 * store new secrets under the wrong key until it is fixed.
 */
export function checkSecretKey(): KeyStatus {
  const box = secretBox();
  const rows = db()
    .select({ id: schema.accounts.id, appsecret: schema.accounts.appsecretSealed })
    .from(schema.accounts)
    .all();
  const foreign = new Set<string>();
  let affected = 0;
  let probed = false;
  for (const row of rows) {
    const keyId = sealedKeyId(row.appsecret);
    if (keyId !== box.keyId) {
      affected++;
      foreign.add(keyId ?? "unknown");
      continue;
    }
    if (!probed) {
      probed = true;
      try {
        openAccountSecret(row.id, "appsecret", row.appsecret);
      } catch {
        affected++;
        foreign.add(keyId);
      }
    }
  }
  if (affected === 0) return { ok: true };
  return {
    ok: false,
    affectedAccounts: affected,
    storedKeyIds: [...foreign],
    configuredKeyId: box.keyId,
    message:
      `UNIONVIEW_SECRET_KEY cannot decrypt the stored credentials of ${affected} account(s): they were encrypted ` +
      `with another key (key id ${[...foreign].join(", ")}; the configured key has id ${box.keyId}). ` +
      `Nothing has been changed. Set UNIONVIEW_SECRET_KEY back to the key used when they were saved and restart.`,
  };
}

const cache = globalThis as unknown as { __unionviewKeyStatus?: KeyStatus };

/** Checked once per process (at start-up via instrumentation), re-checked after a fix is stored. */
export function secretKeyStatus(): KeyStatus {
  cache.__unionviewKeyStatus ??= checkSecretKey();
  return cache.__unionviewKeyStatus;
}

export function forgetSecretKeyStatus(): void {
  cache.__unionviewKeyStatus = undefined;
}

/** The key problem as a sentence in the user's language, for the banner and refused actions. */
export async function keyProblemMessage(status: Exclude<KeyStatus, { ok: true }>): Promise<string> {
  const t = await getTranslations("keyCheck");
  return t("body", {
    count: status.affectedAccounts,
    stored: status.storedKeyIds.join(", "),
    configured: status.configuredKeyId,
  });
}
