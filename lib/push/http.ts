import type { IncomingMessage, ServerResponse } from "node:http";
import { pushAccount, pushDeps, type PushAccountLookup } from "./endpoint";
import { observePush } from "./observe";
import { MAX_BODY_BYTES, receivePush, verifyEcho, type PushReply } from "./receive";

/**
 * WeChat's server URL for one account (基本配置 → 服务器配置), `/api/wechat/<appid>`. There is no
 * session: WeChat proves itself with the signature over the account's push token, checked before
 * anything is stored. One code path for the server entry (`answerNodePush`, ahead of Next's router) and
 * the Next route handler (`npm run dev` without the entry, and the route's tests).
 */
export const PUSH_PATH_PREFIX = "/api/wechat/";

export const PUSH_REPLY_HEADERS = {
  "content-type": "text/plain; charset=utf-8",
  "cache-control": "no-store",
  // What next.config.js adds to Next's answers and still means something for a text reply.
  "x-content-type-options": "nosniff",
} as const;

function refusal(lookup: Exclude<PushAccountLookup, { kind: "ok" }>): PushReply {
  return { status: lookup.kind === "unknown" ? 404 : 403, body: "", reason: lookup.kind };
}

/**
 * One push request: GET is the URL check, POST a message. `readBody` returns the body, or null when it
 * is over MAX_BODY_BYTES (then nothing more of it is buffered). The body is read only once the account
 * exists and may receive pushes.
 */
export async function answerPush(
  method: string,
  appid: string,
  query: URLSearchParams,
  readBody: () => Promise<string | null>,
  requestId?: string | null,
): Promise<PushReply> {
  const seen = observePush(requestId);
  const lookup = method === "GET" || method === "POST" ? pushAccount(appid) : null;
  const reply = await decide(method, lookup, query, readBody);
  seen.finish(lookup?.kind === "ok" ? lookup.account.appid : null, reply);
  return reply;
}

async function decide(
  method: string,
  lookup: PushAccountLookup | null,
  query: URLSearchParams,
  readBody: () => Promise<string | null>,
): Promise<PushReply> {
  if (!lookup) return { status: 405, body: "", reason: "method" };
  if (lookup.kind !== "ok") return refusal(lookup);
  if (method === "GET") return verifyEcho(lookup.account, query);
  const body = await readBody();
  if (body === null) return { status: 413, body: "", reason: "body over 64 kB" };
  return receivePush(lookup.account, query, body, Date.now(), pushDeps());
}

/** The appid a push path names, or null for a path that is not `/api/wechat/<one segment>`. */
export function appidOfPath(pathname: string): string | null {
  if (!pathname.startsWith(PUSH_PATH_PREFIX)) return null;
  const rest = pathname.slice(PUSH_PATH_PREFIX.length);
  if (!rest || rest.includes("/")) return null;
  try {
    return decodeURIComponent(rest);
  } catch {
    return null;
  }
}

/** Reads a node request's body up to MAX_BODY_BYTES; null (and the rest discarded) beyond. */
export function readNodeBody(req: IncomingMessage): Promise<string | null> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        over = true;
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("the request was aborted before its body ended"));
    });
  });
}

/** Writes a push reply to a node response. */
export function writeNodeReply(res: ServerResponse, reply: PushReply, extra: Record<string, string> = {}) {
  res.writeHead(reply.status, { ...PUSH_REPLY_HEADERS, ...extra }).end(reply.body);
}
