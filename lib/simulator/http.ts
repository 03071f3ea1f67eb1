import type { IncomingMessage, ServerResponse } from "node:http";

const MAX_BODY_BYTES = 8 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** WeChat's own content type, odd parameter included. */
export const WECHAT_JSON = "application/json; encoding=utf-8";

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  contentType = WECHAT_JSON,
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = "text/plain",
): void {
  res.writeHead(status, {
    "Content-Type": `${contentType}; charset=utf-8`,
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** The address the server saw, in both spellings WeChat's 40164 message uses. */
export function callerIp(req: IncomingMessage): { v4: string; v6: string } {
  const raw = req.socket.remoteAddress ?? "0.0.0.0";
  if (raw.startsWith("::ffff:")) return { v4: raw.slice(7), v6: raw };
  if (raw.includes(":")) return { v4: raw, v6: raw };
  return { v4: raw, v6: `::ffff:${raw}` };
}
