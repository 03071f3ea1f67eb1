import { answerPush, PUSH_REPLY_HEADERS } from "@/lib/push/http";
import { MAX_BODY_BYTES, type PushReply } from "@/lib/push/receive";

/**
 * WeChat's server URL for one account. In production the server entry (scripts/server.ts) answers
 * /api/wechat/ ahead of Next's router with the same `answerPush`; this route serves `next dev` and
 * anything that runs the app without the entry.
 */
type Context = { params: Promise<{ appid: string }> };

function reply({ status, body }: PushReply): Response {
  return new Response(body, { status, headers: PUSH_REPLY_HEADERS });
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

async function handle(request: Request, context: Context): Promise<Response> {
  const { appid } = await context.params;
  const query = new URL(request.url).searchParams;
  return reply(
    await answerPush(
      request.method,
      appid,
      query,
      () => readLimited(request),
      request.headers.get("x-request-id"),
    ),
  );
}

export const GET = handle;
export const POST = handle;
