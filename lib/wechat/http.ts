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
  const timeout = loopAwareTimeout(req.timeoutMs);
  try {
    return await exchange(req, url, timeout.signal);
  } finally {
    timeout.clear();
  }
}

/**
 * An abort signal for `ms` of waiting, not counting time this process could not look: when the timer
 * fires late because the event loop was blocked (a sync writing a batch of followers synchronously), the
 * answer may be sitting unread in the socket, so the clock starts again (at most a few times) instead of
 * failing a call WeChat answered in time.
 */
function loopAwareTimeout(ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let restarts = 0;
  const arm = () => {
    const due = performance.now() + ms;
    timer = setTimeout(() => {
      const late = performance.now() - due;
      if (late > Math.min(1000, ms / 2) && restarts++ < 3) return arm();
      controller.abort(new DOMException(`no answer within ${ms} ms`, "TimeoutError"));
    }, ms);
    timer.unref();
  };
  arm();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

async function exchange(req: RawRequest, url: URL, signal: AbortSignal): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: req.method,
      headers: req.body === undefined ? undefined : { "content-type": "application/json" },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal,
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
