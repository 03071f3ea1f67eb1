import {
  decryptMessage,
  PushCryptoError,
  verifyMsgSignature,
  verifyPushSignature,
} from "@/lib/wechat/crypto";
import type { AccountRef } from "@/lib/followers/writer";
import type { ApplyResult, PendingPush, PushMode } from "./apply";
import type { SignedUrlBinding } from "./signed-urls";
import { parsePushXml, PushXmlError, toPushMessage, type PushMessage } from "./xml";

/** WeChat sends a few hundred bytes; anything near this is not WeChat. */
export const MAX_BODY_BYTES = 64 * 1024;
/** A signed request older (or newer) than this is refused as a replay. */
export const REPLAY_WINDOW_SECONDS = 5 * 60;

export interface PushAccount extends AccountRef {
  appid: string;
  token: string;
  aesKey: string | null;
}

export interface PushReply {
  status: number;
  body: string;
  /** Why a request was refused, for the log (never a secret). */
  reason?: string;
}

export interface ReceiveDeps {
  /** Stores and applies one checked event (PushApplier.apply, or a GroupCommit in the server). */
  apply: (item: PendingPush) => ApplyResult | Promise<ApplyResult>;
  /** Called after a follow needs its profile; the caller fetches it after replying. */
  onProfileNeeded: (account: PushAccount, openid: string) => void;
  /** Binds each plaintext-mode URL to its first body (see SignedUrlBinding); the server always has one. */
  signedUrls?: SignedUrlBinding;
}

const refuse = (status: number, reason: string): PushReply => ({ status, body: "", reason });

function signedQuery(query: URLSearchParams) {
  const signature = query.get("signature") ?? "";
  const timestamp = query.get("timestamp") ?? "";
  const nonce = query.get("nonce") ?? "";
  if (!/^[0-9a-f]{40}$/.test(signature) || !/^\d{1,12}$/.test(timestamp) || !/^\w{1,64}$/.test(nonce))
    return null;
  return { signature, timestamp, nonce };
}

/** The URL check WeChat runs when the admin saves the server configuration. */
export function verifyEcho(account: PushAccount, query: URLSearchParams): PushReply {
  const signed = signedQuery(query);
  const echostr = query.get("echostr");
  if (!signed || !echostr) return refuse(400, "signature, timestamp, nonce and echostr are required");
  if (!withinWindow(Date.now() / 1000, Number(signed.timestamp)))
    return refuse(403, "timestamp outside the 5-minute window (replay or clock skew)");
  if (!verifyPushSignature(account.token, signed)) return refuse(403, "signature mismatch");
  return { status: 200, body: echostr };
}

function withinWindow(seconds: number, timestamp: number): boolean {
  return Math.abs(seconds - timestamp) <= REPLAY_WINDOW_SECONDS;
}

function cryptoStatus(error: PushCryptoError): number {
  return error.code === "bad_signature" || error.code === "wrong_appid" || error.code === "bad_key"
    ? 403
    : 400;
}

/** Checks, decrypts and applies one pushed message; the reply is what WeChat receives. */
export async function receivePush(
  account: PushAccount,
  query: URLSearchParams,
  body: string,
  now: number,
  deps: ReceiveDeps,
): Promise<PushReply> {
  const checked = checkPush(account, query, body, now);
  if ("status" in checked) return checked;
  // Only the encrypted modes sign the body (msg_signature); a plaintext one is trusted once per URL.
  if (
    !checked.encrypted &&
    deps.signedUrls &&
    !deps.signedUrls.bind(
      account.id,
      query.get("signature") ?? "",
      Number(query.get("timestamp")),
      body,
      now / 1000,
    )
  )
    return refuse(403, "this signed URL was already used with a different message");
  const result = await deps.apply({ account, message: checked.message, mode: checked.mode, now });
  if (result.needsProfile) deps.onProfileNeeded(account, checked.message.fromUser);
  return { status: 200, body: "success", reason: result.duplicate ? "duplicate delivery" : undefined };
}

/** Everything before anything is stored: size, signature, replay window, decryption, XML. */
export function checkPush(
  account: PushAccount,
  query: URLSearchParams,
  body: string,
  now: number,
): PushReply | { message: PushMessage; mode: PushMode; encrypted: boolean } {
  if (Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES) return refuse(413, "body over 64 kB");
  const signed = signedQuery(query);
  if (!signed) return refuse(400, "signature, timestamp and nonce are required");
  if (!withinWindow(now / 1000, Number(signed.timestamp)))
    return refuse(403, "timestamp outside the 5-minute window (replay or clock skew)");
  // WeChat signs the URL in every mode: nothing from the body is read before this holds.
  if (!verifyPushSignature(account.token, signed)) return refuse(403, "signature mismatch");

  let message: PushMessage;
  let mode: PushMode;
  let encryptedPart = false;
  try {
    const outer = parsePushXml(body);
    const encrypted = query.get("encrypt_type") === "aes";
    if (encrypted && outer.Encrypt && account.aesKey) {
      const envelope = {
        encrypt: outer.Encrypt,
        msgSignature: query.get("msg_signature") ?? "",
        timestamp: signed.timestamp,
        nonce: signed.nonce,
      };
      if (!verifyMsgSignature(account.token, envelope)) return refuse(403, "msg_signature mismatch");
      const xml = decryptMessage(
        { token: account.token, encodingAESKey: account.aesKey, appId: account.appid },
        envelope,
      );
      message = toPushMessage(parsePushXml(xml));
      mode = outer.FromUserName ? "compat" : "safe";
      encryptedPart = true;
    } else if (encrypted && !outer.FromUserName) {
      return refuse(403, "safe-mode message but no EncodingAESKey is set for this account");
    } else if (account.aesKey) {
      // `signature` covers only the URL, so a plaintext body next to a leaked URL could be anything:
      // with a key stored, only the encrypted part (bound by msg_signature) is trusted.
      return refuse(
        403,
        "this account has an EncodingAESKey: only safe or compatible mode messages are accepted",
      );
    } else {
      // Plain mode, or compatible mode without a stored key: the plaintext copy, signed by `signature`.
      message = toPushMessage(outer);
      mode = encrypted ? "compat" : "plain";
    }
  } catch (error) {
    if (error instanceof PushXmlError) return refuse(400, error.message);
    if (error instanceof PushCryptoError) return refuse(cryptoStatus(error), error.message);
    throw error;
  }
  // An event must belong to the signed request: a CreateTime far from it is a replayed or forged body.
  if (!withinWindow(message.createTime, Number(signed.timestamp)))
    return refuse(403, "CreateTime is more than 5 minutes from the signed timestamp");

  return { message, mode, encrypted: encryptedPart };
}
