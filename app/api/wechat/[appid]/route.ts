import { pushAccount, pushDeps, type PushAccountLookup } from "@/lib/push/endpoint";
import { observePush } from "@/lib/push/observe";
import { MAX_BODY_BYTES, receivePush, verifyEcho, type PushReply } from "@/lib/push/receive";
import { logPushRefusal } from "@/lib/push/refusal-log";

/**
 * WeChat's server URL for one account (基本配置 → 服务器配置). There is no session here: WeChat proves
 * itself with the signature over the account's push token, checked before anything is stored.
 */
type Context = { params: Promise<{ appid: string }> };

const TEXT = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" };

function reply({ status, body }: PushReply): Response {
  return new Response(body, { status, headers: TEXT });
}

function refusal(lookup: Exclude<PushAccountLookup, { kind: "ok" }>): Response {
  if (lookup.kind === "unknown") return reply({ status: 404, body: "" });
  return reply({ status: 403, body: "" });
}

export async function GET(request: Request, context: Context) {
  const lookup = pushAccount((await context.params).appid);
  if (lookup.kind !== "ok") return refusal(lookup);
  return reply(verifyEcho(lookup.account, new URL(request.url).searchParams));
}

/** Reads at most MAX_BODY_BYTES + 1 bytes: a longer body is refused without buffering it. */
async function readLimited(request: Request): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function POST(request: Request, context: Context) {
  const seen = observePush(request);
  const lookup = pushAccount((await context.params).appid);
  if (lookup.kind !== "ok") {
    seen.finish(null, { status: lookup.kind === "unknown" ? 404 : 403, body: "", reason: lookup.kind });
    return refusal(lookup);
  }
  const body = await readLimited(request);
  if (body === null) {
    seen.finish(lookup.account.appid, { status: 413, body: "", reason: "body over 64 kB" });
    return reply({ status: 413, body: "" });
  }
  const result = await receivePush(
    lookup.account,
    new URL(request.url).searchParams,
    body,
    Date.now(),
    pushDeps(),
  );
  if (result.status !== 200) logPushRefusal(lookup.account.appid, result.status, result.reason);
  seen.finish(lookup.account.appid, result);
  return reply(result);
}
