import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * WeChat Official Account push ("服务器配置"): the plain-mode URL signature and the safe-mode
 * message encryption (AES-256-CBC, IV = first 16 key bytes, PKCS#7 to a 32-byte block).
 */

export type PushCryptoErrorCode =
  "bad_signature" | "bad_key" | "bad_ciphertext" | "bad_padding" | "bad_length" | "wrong_appid";

export class PushCryptoError extends Error {
  override name = "PushCryptoError";
  readonly code: PushCryptoErrorCode;

  constructor(code: PushCryptoErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface PushCryptoConfig {
  token: string;
  encodingAESKey: string;
  appId: string;
}

export interface EncryptOptions {
  timestamp: string;
  nonce: string;
  /** 16 bytes to use instead of fresh random ones (reproducible test vectors). */
  random?: Uint8Array;
}

export interface EncryptedMessage {
  encrypt: string;
  msgSignature: string;
}

export interface EncryptedEnvelope {
  encrypt: string;
  msgSignature: string;
  timestamp: string;
  nonce: string;
}

const PAD_BLOCK = 32;
const RANDOM_BYTES = 16;
const LENGTH_BYTES = 4;
const HEADER_BYTES = RANDOM_BYTES + LENGTH_BYTES;
const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function sortedSha1(parts: string[]): string {
  return createHash("sha1")
    .update([...parts].sort().join(""))
    .digest("hex");
}

/** Constant-time string comparison; false on any length mismatch. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** `signature` of the URL verification and plain-mode pushes. */
export function pushSignature(token: string, timestamp: string, nonce: string): string {
  return sortedSha1([token, timestamp, nonce]);
}

export function verifyPushSignature(
  token: string,
  query: { signature: string; timestamp: string; nonce: string },
): boolean {
  return constantTimeEqual(pushSignature(token, query.timestamp, query.nonce), query.signature);
}

/** `msg_signature` of safe-mode pushes and encrypted replies. */
export function msgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return sortedSha1([token, timestamp, nonce, encrypt]);
}

export function verifyMsgSignature(
  token: string,
  envelope: { msgSignature: string; timestamp: string; nonce: string; encrypt: string },
): boolean {
  return constantTimeEqual(
    msgSignature(token, envelope.timestamp, envelope.nonce, envelope.encrypt),
    envelope.msgSignature,
  );
}

/** EncodingAESKey (43 letters/digits) → 32-byte AES key. */
export function decodeEncodingAESKey(encodingAESKey: string): Buffer {
  if (!ENCODING_AES_KEY.test(encodingAESKey)) {
    throw new PushCryptoError(
      "bad_key",
      "The EncodingAESKey must be exactly 43 letters and digits, as shown in the WeChat console.",
    );
  }
  const key = Buffer.from(`${encodingAESKey}=`, "base64");
  if (key.length !== 32) {
    throw new PushCryptoError("bad_key", "The EncodingAESKey does not decode to a 32-byte AES key.");
  }
  return key;
}

/** PKCS#7 padding to a multiple of 32 bytes (WeChat's block size, not AES's 16). */
export function pkcs7Pad(data: Buffer): Buffer {
  const pad = PAD_BLOCK - (data.length % PAD_BLOCK);
  return Buffer.concat([data, Buffer.alloc(pad, pad)]);
}

export function pkcs7Unpad(data: Buffer): Buffer {
  const pad = data.length > 0 ? data[data.length - 1]! : 0;
  if (pad < 1 || pad > PAD_BLOCK || pad > data.length) {
    throw new PushCryptoError("bad_padding", "The decrypted message has an invalid padding length.");
  }
  for (let i = data.length - pad; i < data.length; i++) {
    if (data[i] !== pad) {
      throw new PushCryptoError("bad_padding", "The decrypted message has inconsistent padding bytes.");
    }
  }
  return data.subarray(0, data.length - pad);
}

export function encryptMessage(
  config: PushCryptoConfig,
  xml: string,
  options: EncryptOptions,
): EncryptedMessage {
  const key = decodeEncodingAESKey(config.encodingAESKey);
  const random = options.random ?? randomBytes(RANDOM_BYTES);
  if (random.length !== RANDOM_BYTES) {
    throw new RangeError(`The random prefix must be exactly ${RANDOM_BYTES} bytes.`);
  }
  const body = Buffer.from(xml, "utf8");
  const length = Buffer.alloc(LENGTH_BYTES);
  length.writeUInt32BE(body.length, 0);
  const plaintext = pkcs7Pad(Buffer.concat([random, length, body, Buffer.from(config.appId, "utf8")]));

  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  const encrypt = Buffer.concat([cipher.update(plaintext), cipher.final()]).toString("base64");
  return { encrypt, msgSignature: msgSignature(config.token, options.timestamp, options.nonce, encrypt) };
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function decryptMessage(config: PushCryptoConfig, envelope: EncryptedEnvelope): string {
  const key = decodeEncodingAESKey(config.encodingAESKey);
  if (!verifyMsgSignature(config.token, envelope)) {
    throw new PushCryptoError("bad_signature", "The msg_signature does not match the token and message.");
  }

  const ciphertext = BASE64.test(envelope.encrypt) ? Buffer.from(envelope.encrypt, "base64") : null;
  if (!ciphertext || ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw new PushCryptoError(
      "bad_ciphertext",
      "The encrypted message is not base64 of a non-empty multiple of 16 bytes.",
    );
  }

  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new PushCryptoError("bad_ciphertext", "The encrypted message could not be decrypted.");
  }

  const content = pkcs7Unpad(plaintext);
  if (content.length < HEADER_BYTES) {
    throw new PushCryptoError("bad_length", "The decrypted message is too short to hold its header.");
  }
  const length = content.readUInt32BE(RANDOM_BYTES);
  if (length > content.length - HEADER_BYTES) {
    throw new PushCryptoError("bad_length", "The message length field runs past the end of the message.");
  }

  const appId = content.subarray(HEADER_BYTES + length);
  if (!appId.equals(Buffer.from(config.appId, "utf8"))) {
    throw new PushCryptoError("wrong_appid", "The message was encrypted for a different AppID.");
  }

  try {
    return utf8.decode(content.subarray(HEADER_BYTES, HEADER_BYTES + length));
  } catch {
    throw new PushCryptoError("bad_ciphertext", "The decrypted message is not valid UTF-8.");
  }
}

function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}

function escapeXmlText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Safe-mode reply body: the reply XML encrypted and wrapped with its signature. */
export function buildEncryptedReply(
  config: PushCryptoConfig,
  replyXml: string,
  options: EncryptOptions,
): string {
  const { encrypt, msgSignature: signature } = encryptMessage(config, replyXml, options);
  return (
    `<xml><Encrypt>${cdata(encrypt)}</Encrypt><MsgSignature>${cdata(signature)}</MsgSignature>` +
    `<TimeStamp>${escapeXmlText(options.timestamp)}</TimeStamp><Nonce>${cdata(options.nonce)}</Nonce></xml>`
  );
}
