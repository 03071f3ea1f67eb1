import { randomBytes, randomInt } from "node:crypto";
import { QR_CODE_SCENE } from "./population";
import { decryptMessage, encryptMessage, wechatSignature } from "./push-crypto";
import type { Simulator } from "./simulator";
import { SimInputError } from "./errors";

export type PushEvent = "subscribe" | "unsubscribe" | "SCAN" | "text";
export type PushMode = "plain" | "compat" | "safe";

export interface PushRequest {
  appid: string;
  /** The developer's server URL (its own query string is kept). */
  url: string;
  event: PushEvent;
  /** Defaults: subscribe → a new person; the others → a random subscribed follower. */
  openid?: string;
  /** subscribe without openid: a person who follows another account (not a new person). */
  shared?: boolean;
  /** subscribe: "qrscene_<id>" for a parametric QR code; SCAN: the scene id. */
  eventKey?: string;
  /** Text of a "text" message. */
  content?: string;
  mode?: PushMode;
  /** WeChat waits 5 s for an answer. */
  timeoutMs?: number;
  /** Resend the same message when no answer came in time (WeChat: up to 3). */
  retries?: number;
}

export interface PushResult {
  /** HTTP status of the last attempt; 0 when no answer came. */
  status: number;
  body: string;
  openid: string;
  /** The message as sent before encryption. */
  xml: string;
  attempts: number;
  error?: string;
  /** A safe-mode reply, decrypted. */
  reply?: { xml: string; appid: string; signatureValid: boolean };
}

export interface VerifyRequest {
  appid: string;
  url: string;
  /** Send a wrong signature (the server must refuse with a 4xx). */
  tamper?: boolean;
}

export interface VerifyResult {
  status: number;
  body: string;
  echostr: string;
  /** Answered 200 with the echostr. */
  ok: boolean;
}

const EVENTS: readonly PushEvent[] = ["subscribe", "unsubscribe", "SCAN", "text"];
const MODES: readonly PushMode[] = ["plain", "compat", "safe"];

function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}

function element(name: string, value: string | number): string {
  return typeof value === "number" ? `<${name}>${value}</${name}>` : `<${name}>${cdata(value)}</${name}>`;
}

/** One element per line, as WeChat sends them. */
function xmlDocument(elements: string[]): string {
  return `<xml>${elements.join("\n")}\n</xml>`;
}

function ticket(): string {
  return randomBytes(72).toString("base64");
}

function nonce(): string {
  return String(randomInt(100_000_000, 2_000_000_000));
}

function requireUrl(url: unknown): URL {
  try {
    const parsed = new URL(String(url));
    if (parsed.protocol === "http:" || parsed.protocol === "https:") return parsed;
  } catch {
    // fall through
  }
  throw new SimInputError(`url must be an http(s) URL, got ${JSON.stringify(url)}`);
}

/** Applies the event to the simulator's state (as WeChat would before pushing) and returns the openid. */
function applyEvent(sim: Simulator, request: PushRequest): string {
  const account = sim.requireAccount(request.appid);
  const { event, openid } = request;
  if (event === "subscribe") {
    let slot: number;
    if (openid !== undefined) {
      [slot] = sim.slotsOf(account, [openid]) as [number];
      sim.follow({ appid: account.appid, openids: [openid] });
    } else {
      const [created] = sim.follow({ appid: account.appid, count: 1, shared: request.shared === true })
        .openids as [string | undefined];
      if (!created)
        throw new SimInputError(`nobody who follows another account is left to follow ${account.appid}`);
      slot = account.openids.decode(created);
    }
    const key = request.eventKey ?? "";
    if (key.startsWith("qrscene_")) {
      const scene = key.slice("qrscene_".length);
      account.follows.scene[slot] = QR_CODE_SCENE;
      const numeric = /^[0-9]{1,10}$/.test(scene);
      account.qrOverrides.set(slot, {
        qrScene: numeric ? Number(scene) : 0,
        qrSceneStr: numeric ? "" : scene,
      });
    }
    return account.openids.encode(slot);
  }
  if (event === "unsubscribe") {
    if (openid !== undefined) {
      sim.unfollow({ appid: account.appid, openids: [openid] });
      return openid;
    }
    const [gone] = sim.unfollow({ appid: account.appid, count: 1 }).openids;
    if (!gone) throw new SimInputError(`${account.appid} has no subscribed follower to unsubscribe`);
    return gone;
  }
  if (openid !== undefined) {
    sim.slotsOf(account, [openid]);
    return openid;
  }
  const { total } = sim.followers(account.appid, { subscribed: true, limit: 0 });
  if (total === 0) throw new SimInputError(`${account.appid} has no subscribed follower`);
  const [someone] = sim.followers(account.appid, { subscribed: true, offset: sim.rng.int(total), limit: 1 })
    .openids as [string];
  return someone;
}

function messageXml(request: PushRequest, originalId: string, openid: string, createTime: number): string {
  const head = [
    element("ToUserName", originalId),
    element("FromUserName", openid),
    element("CreateTime", createTime),
  ];
  if (request.event === "text") {
    return xmlDocument([
      ...head,
      element("MsgType", "text"),
      element("Content", request.content ?? "你好"),
      element("MsgId", `${createTime}${randomInt(1_000_000, 9_999_999)}`),
    ]);
  }
  const key = request.eventKey ?? "";
  const withTicket =
    (request.event === "subscribe" && key.startsWith("qrscene_")) || request.event === "SCAN";
  return xmlDocument([
    ...head,
    element("MsgType", "event"),
    element("Event", request.event),
    element("EventKey", key),
    ...(withTicket ? [element("Ticket", ticket())] : []),
  ]);
}

function validate(request: PushRequest): { url: URL; mode: PushMode } {
  if (typeof request !== "object" || request === null) throw new SimInputError("push expects an object");
  if (!EVENTS.includes(request.event)) throw new SimInputError(`event must be one of ${EVENTS.join(", ")}`);
  const mode = request.mode ?? "plain";
  if (!MODES.includes(mode)) throw new SimInputError(`mode must be one of ${MODES.join(", ")}`);
  if (request.openid !== undefined && typeof request.openid !== "string")
    throw new SimInputError("openid must be a string");
  if (request.shared !== undefined && typeof request.shared !== "boolean")
    throw new SimInputError("shared must be a boolean");
  if (request.eventKey !== undefined && typeof request.eventKey !== "string")
    throw new SimInputError("eventKey must be a string");
  return { url: requireUrl(request.url), mode };
}

/** Builds, signs (and in safe/compat mode encrypts) a push exactly as WeChat does, and POSTs it. */
export async function sendPush(sim: Simulator, request: PushRequest): Promise<PushResult> {
  const { url, mode } = validate(request);
  const account = sim.requireAccount(request.appid);
  const openid = applyEvent(sim, request);
  const timestamp = String(sim.clock.now());
  const xml = messageXml(request, account.originalId, openid, Number(timestamp));
  const nonceValue = nonce();
  const target = new URL(url);
  target.searchParams.set("signature", wechatSignature(account.pushToken, timestamp, nonceValue));
  target.searchParams.set("timestamp", timestamp);
  target.searchParams.set("nonce", nonceValue);
  target.searchParams.set("openid", openid);
  let body = xml;
  if (mode !== "plain") {
    const encrypted = encryptMessage(xml, account.appid, account.encodingAESKey);
    target.searchParams.set("encrypt_type", "aes");
    target.searchParams.set(
      "msg_signature",
      wechatSignature(account.pushToken, timestamp, nonceValue, encrypted),
    );
    body =
      mode === "safe"
        ? xmlDocument([element("ToUserName", account.originalId), element("Encrypt", encrypted)])
        : xml.replace(/\n<\/xml>$/, `\n${element("Encrypt", encrypted)}\n</xml>`);
  }

  const attemptsAllowed = 1 + Math.max(0, Math.min(3, request.retries ?? 0));
  let result: PushResult = { status: 0, body: "", openid, xml, attempts: 0 };
  for (let attempt = 1; attempt <= attemptsAllowed; attempt++) {
    result = { status: 0, body: "", openid, xml, attempts: attempt };
    try {
      const response = await fetch(target, {
        method: "POST",
        headers: { "Content-Type": "text/xml", "User-Agent": "Mozilla/4.0" },
        body,
        signal: AbortSignal.timeout(request.timeoutMs ?? 5000),
      });
      result.status = response.status;
      result.body = await response.text();
      break;
    } catch (error) {
      result.error = error instanceof Error ? error.message : String(error);
    }
  }
  const encryptedReply = /<Encrypt><!\[CDATA\[([^\]]*)\]\]><\/Encrypt>/.exec(result.body)?.[1];
  if (encryptedReply) {
    try {
      const replySignature = /<MsgSignature><!\[CDATA\[([0-9a-f]+)\]\]>/.exec(result.body)?.[1];
      const replyTimestamp = /<TimeStamp>(?:<!\[CDATA\[)?([0-9]+)/.exec(result.body)?.[1] ?? "";
      const replyNonce = /<Nonce><!\[CDATA\[([^\]]*)\]\]>/.exec(result.body)?.[1] ?? "";
      const expected = wechatSignature(account.pushToken, replyTimestamp, replyNonce, encryptedReply);
      result.reply = {
        ...decryptMessage(encryptedReply, account.encodingAESKey),
        signatureValid: replySignature === expected,
      };
    } catch (error) {
      result.error = `reply could not be decrypted: ${(error as Error).message}`;
    }
  }
  return result;
}

/** The server-configuration check: GET ?signature&timestamp&nonce&echostr. */
export async function verifyUrl(sim: Simulator, request: VerifyRequest): Promise<VerifyResult> {
  const account = sim.requireAccount(request?.appid);
  const target = requireUrl(request.url);
  const timestamp = String(sim.clock.now());
  const nonceValue = nonce();
  const echostr = String(randomInt(1_000_000_000, 9_000_000_000_000));
  const signature = wechatSignature(account.pushToken, timestamp, nonceValue);
  target.searchParams.set(
    "signature",
    request.tamper ? signature.replace(/^./, (c) => (c === "0" ? "1" : "0")) : signature,
  );
  target.searchParams.set("timestamp", timestamp);
  target.searchParams.set("nonce", nonceValue);
  target.searchParams.set("echostr", echostr);
  try {
    const response = await fetch(target, { signal: AbortSignal.timeout(5000) });
    const body = await response.text();
    return { status: response.status, body, echostr, ok: response.status === 200 && body === echostr };
  } catch (error) {
    return { status: 0, body: (error as Error).message, echostr, ok: false };
  }
}
