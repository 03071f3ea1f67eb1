import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * AES-256-GCM for secrets at rest. A stored value looks like
 *   v1.<keyId>.<iv>.<tag>.<ciphertext>   (base64url parts)
 * keyId is a short fingerprint of the key, so a value sealed under another key is recognised
 * without attempting to decrypt it. The associated data binds a value to where it is stored
 * (e.g. "account/<id>/appsecret"): a ciphertext copied to another row or field fails to open.
 */
const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretKeyError extends Error {
  override name = "SecretKeyError";
}

export class SecretDecryptError extends Error {
  override name = "SecretDecryptError";
}

export interface SecretBox {
  readonly keyId: string;
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

export function keyFingerprint(key: Buffer): string {
  return createHash("sha256").update("unionview-key-id\0").update(key).digest("hex").slice(0, 8);
}

export function decodeKey(base64: string): Buffer {
  const key = Buffer.from(base64.trim(), "base64");
  if (key.length !== 32) {
    throw new SecretKeyError(
      "UNIONVIEW_SECRET_KEY must be 32 bytes encoded in base64 (generate one with `openssl rand -base64 32`).",
    );
  }
  return key;
}

/** Reads the key id out of a sealed value without decrypting it; null when the value is not ours. */
export function sealedKeyId(sealed: string): string | null {
  const parts = sealed.split(".");
  return parts.length === 5 && parts[0] === VERSION ? (parts[1] ?? null) : null;
}

export function createSecretBox(base64Key: string): SecretBox {
  const key = decodeKey(base64Key);
  const keyId = keyFingerprint(key);

  return {
    keyId,
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [
        VERSION,
        keyId,
        iv.toString("base64url"),
        tag.toString("base64url"),
        body.toString("base64url"),
      ].join(".");
    },
    open(sealed, context) {
      const parts = sealed.split(".");
      if (parts.length !== 5 || parts[0] !== VERSION) {
        throw new SecretDecryptError("The stored secret is not in a format UnionView recognises.");
      }
      const [, storedKeyId, ivText, tagText, bodyText] = parts as [string, string, string, string, string];
      if (storedKeyId !== keyId) {
        throw new SecretDecryptError(
          `The stored secret was encrypted with a different UNIONVIEW_SECRET_KEY (key id ${storedKeyId}, ` +
            `the configured key has id ${keyId}). Restore the original key.`,
        );
      }
      const iv = Buffer.from(ivText, "base64url");
      const tag = Buffer.from(tagText, "base64url");
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw new SecretDecryptError("The stored secret is damaged (bad IV or tag length).");
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(context, "utf8"));
        decipher.setAuthTag(tag);
        return Buffer.concat([
          decipher.update(Buffer.from(bodyText, "base64url")),
          decipher.final(),
        ]).toString("utf8");
      } catch {
        throw new SecretDecryptError(
          "The stored secret failed its integrity check: it was altered, moved, or sealed under another key.",
        );
      }
    },
  };
}
