import { z } from "zod";
import { TRANSPORT_ERRCODE, WeChatError } from "./errors";

export interface RawRequest {
  baseUrl: string;
  path: string;
  method: "GET" | "POST";
  query?: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

const errorShape = z.object({ errcode: z.number(), errmsg: z.string().optional() }).loose();

/**
 * One HTTP exchange with WeChat. Returns the parsed JSON of a success; throws a WeChatError for an
 * errcode, an HTTP failure, a timeout, a reset connection or a body that isn't JSON. The URL (which
 * holds the access token) never goes into an error.
 */
export async function requestJson(req: RawRequest): Promise<unknown> {
  const url = new URL(req.path, req.baseUrl);
  for (const [key, value] of Object.entries(req.query ?? {})) url.searchParams.set(key, value);
  let response: Response;
  try {
    response = await fetch(url, {
      method: req.method,
      headers: req.body === undefined ? undefined : { "content-type": "application/json" },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: AbortSignal.timeout(req.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new WeChatError({
      errcode: timedOut ? TRANSPORT_ERRCODE.timeout : TRANSPORT_ERRCODE.network,
      errmsg: timedOut ? `no answer within ${req.timeoutMs} ms` : describeCause(error),
      path: req.path,
    });
  }

  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new WeChatError({
      errcode: TRANSPORT_ERRCODE.network,
      errmsg: describeCause(error),
      path: req.path,
    });
  }
  if (!response.ok) {
    throw new WeChatError({
      errcode: TRANSPORT_ERRCODE.http,
      errmsg: `HTTP ${response.status}`,
      path: req.path,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WeChatError({
      errcode: TRANSPORT_ERRCODE.badJson,
      errmsg: `not JSON: ${text.slice(0, 60).replace(/\s+/g, " ")}`,
      path: req.path,
    });
  }
  const error = errorShape.safeParse(json);
  if (error.success && error.data.errcode !== 0) {
    throw new WeChatError({ errcode: error.data.errcode, errmsg: error.data.errmsg, path: req.path });
  }
  return json;
}

function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown })?.code;
  return typeof code === "string" ? code : cause instanceof Error ? cause.message : "network error";
}

/** Validates a success body; a shape WeChat never sends is a bad response, not a crash. */
export function parseBody<T>(schema: z.ZodType<T>, json: unknown, path: string): T {
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new WeChatError({
      errcode: TRANSPORT_ERRCODE.badJson,
      errmsg: `unexpected shape: ${result.error.issues[0]?.path.join(".") ?? ""} ${result.error.issues[0]?.message ?? ""}`,
      path,
    });
  }
  return result.data;
}
