import { randomInt } from "node:crypto";
import { encryptMessage, wechatSignature } from "@/lib/simulator/push-crypto";

/**
 * Push requests built the way WeChat (and the simulator's push sender) builds them, with the
 * simulator's own crypto: the bench shares no code with the endpoint's lib/wechat/crypto.ts.
 */
export interface PushAccountKeys {
  appid: string;
  originalId: string;
  pushToken: string;
  encodingAESKey: string;
}

export type Mode = "plain" | "compat" | "safe";
export type BenchEvent = "subscribe" | "unsubscribe" | "SCAN" | "text";

export interface PushRequest {
  path: string;
  body: string;
}

const cdata = (v: string) => `<![CDATA[${v}]]>`;

function messageXml(account: PushAccountKeys, openid: string, event: BenchEvent, createTime: number) {
  const head = `<ToUserName>${cdata(account.originalId)}</ToUserName>\n<FromUserName>${cdata(openid)}</FromUserName>\n<CreateTime>${createTime}</CreateTime>`;
  if (event === "text")
    return `<xml>${head}\n<MsgType>${cdata("text")}</MsgType>\n<Content>${cdata("你好")}</Content>\n<MsgId>${createTime}${randomInt(1e6, 9e6)}</MsgId>\n</xml>`;
  return `<xml>${head}\n<MsgType>${cdata("event")}</MsgType>\n<Event>${cdata(event)}</Event>\n<EventKey>${cdata(event === "SCAN" ? "7" : "")}</EventKey>\n</xml>`;
}

export function pushRequest(
  account: PushAccountKeys,
  openid: string,
  event: BenchEvent,
  mode: Mode,
  createTime: number,
): PushRequest {
  const timestamp = String(createTime);
  const nonce = String(randomInt(100_000_000, 2_000_000_000));
  const xml = messageXml(account, openid, event, createTime);
  const query = new URLSearchParams({
    signature: wechatSignature(account.pushToken, timestamp, nonce),
    timestamp,
    nonce,
    openid,
  });
  let body = xml;
  if (mode !== "plain") {
    const encrypted = encryptMessage(xml, account.appid, account.encodingAESKey);
    query.set("encrypt_type", "aes");
    query.set("msg_signature", wechatSignature(account.pushToken, timestamp, nonce, encrypted));
    body =
      mode === "safe"
        ? `<xml><ToUserName>${cdata(account.originalId)}</ToUserName>\n<Encrypt>${cdata(encrypted)}</Encrypt>\n</xml>`
        : xml.replace(/\n<\/xml>$/, `\n<Encrypt>${cdata(encrypted)}</Encrypt>\n</xml>`);
  }
  return { path: `/api/wechat/${account.appid}?${query}`, body };
}
