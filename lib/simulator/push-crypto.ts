import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const BLOCK = 32;

/** hex SHA-1 of the parts sorted lexicographically and joined without a separator. */
export function wechatSignature(...parts: string[]): string {
  return createHash("sha1")
    .update([...parts].sort().join(""))
    .digest("hex");
}

export function aesKeyOf(encodingAESKey: string): Buffer {
  const key = Buffer.from(`${encodingAESKey}=`, "base64");
  if (encodingAESKey.length !== 43 || key.length !== 32)
    throw new Error("EncodingAESKey must be 43 characters");
  return key;
}

/**
 * Safe-mode message encryption: AES-256-CBC, IV = first 16 key bytes, over
 * random(16) ‖ length(4, big-endian) ‖ xml ‖ appid, PKCS#7-padded to a multiple of 32 bytes.
 */
export function encryptMessage(
  xml: string,
  appid: string,
  encodingAESKey: string,
  random = randomBytes(16),
): string {
  const key = aesKeyOf(encodingAESKey);
  const body = Buffer.from(xml, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  const plain = Buffer.concat([random, length, body, Buffer.from(appid, "utf8")]);
  const pad = BLOCK - (plain.length % BLOCK);
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([
    cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])),
    cipher.final(),
  ]).toString("base64");
}

export function decryptMessage(encrypted: string, encodingAESKey: string): { xml: string; appid: string } {
  const key = aesKeyOf(encodingAESKey);
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, "base64")), decipher.final()]);
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > BLOCK || pad > padded.length) throw new Error("bad padding");
  const plain = padded.subarray(0, padded.length - pad);
  if (plain.length < 20) throw new Error("message too short");
  const length = plain.readUInt32BE(16);
  if (20 + length > plain.length) throw new Error("bad message length");
  return {
    xml: plain.subarray(20, 20 + length).toString("utf8"),
    appid: plain.subarray(20 + length).toString("utf8"),
  };
}
