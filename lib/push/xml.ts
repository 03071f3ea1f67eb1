import { XMLParser, XMLValidator } from "fast-xml-parser";

/** Why a pushed body could not be read; the route answers 400 with the message. */
export class PushXmlError extends Error {
  override name = "PushXmlError";
}

/** The fields of a pushed message the app uses (all optional until checked). */
export interface PushXml {
  ToUserName?: string;
  FromUserName?: string;
  CreateTime?: string;
  MsgType?: string;
  Event?: string;
  EventKey?: string;
  Encrypt?: string;
}

const FIELDS = [
  "ToUserName",
  "FromUserName",
  "CreateTime",
  "MsgType",
  "Event",
  "EventKey",
  "Encrypt",
] as const;

// Entities are never expanded (no billion laughs, no external entities): WeChat sends CDATA and plain text.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
});

/**
 * Parses WeChat's flat `<xml>…</xml>` document. Declarations of a DTD are refused outright rather
 * than parsed: WeChat never sends one, and entity tricks hide in them.
 */
export function parsePushXml(body: string): PushXml {
  if (/<!DOCTYPE|<!ENTITY/i.test(body))
    throw new PushXmlError("XML with a DTD or entity declaration is refused.");
  let doc: Record<string, unknown>;
  try {
    const valid = XMLValidator.validate(body);
    if (valid !== true) throw new PushXmlError(`The body is not well-formed XML (${valid.err.msg}).`);
    doc = parser.parse(body) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof PushXmlError) throw error;
    // The parser's own limits (nesting depth and the like): bad input, not a server fault.
    throw new PushXmlError("The body could not be parsed as XML.");
  }
  const root = doc.xml;
  if (typeof root !== "object" || root === null || Array.isArray(root))
    throw new PushXmlError("The body has no <xml> element with fields.");
  const out: PushXml = {};
  for (const field of FIELDS) {
    const value = (root as Record<string, unknown>)[field];
    if (value === undefined) continue;
    if (typeof value !== "string" && typeof value !== "number")
      throw new PushXmlError(`<${field}> must appear once and hold text.`);
    out[field] = String(value);
  }
  return out;
}

export interface PushMessage {
  toUserName: string;
  fromUser: string;
  createTime: number;
  msgType: string;
  /** Event name for MsgType "event", else the MsgType: the dedupe key's last part. */
  event: string;
  eventKey: string | null;
}

/** The decrypted (or plain) message, checked for the fields every push carries. */
export function toPushMessage(xml: PushXml): PushMessage {
  const { FromUserName, CreateTime, MsgType } = xml;
  if (!FromUserName || !/^[\w-]{1,64}$/.test(FromUserName))
    throw new PushXmlError("<FromUserName> is missing or not an openid.");
  if (!CreateTime || !/^\d{1,12}$/.test(CreateTime))
    throw new PushXmlError("<CreateTime> is missing or not a number.");
  if (!MsgType || !/^\w{1,32}$/.test(MsgType)) throw new PushXmlError("<MsgType> is missing.");
  let event = MsgType;
  if (MsgType === "event") {
    if (!xml.Event || !/^\w{1,64}$/.test(xml.Event))
      throw new PushXmlError("<Event> is missing for an event.");
    event = xml.Event;
  }
  return {
    toUserName: xml.ToUserName ?? "",
    fromUser: FromUserName,
    createTime: Number(CreateTime),
    msgType: MsgType,
    event,
    eventKey: xml.EventKey ? xml.EventKey.slice(0, 128) : null,
  };
}
