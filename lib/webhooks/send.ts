import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { guardedLookup, isPrivateAddress, PrivateAddressError } from "./ssrf";

export interface SendResult {
  /** HTTP status, or null when no answer came (refused, timeout, reset, private address). */
  status: number | null;
  latencyMs: number;
  /** Why it failed, in words safe to show (no body of the answer, no secret). */
  error: string | null;
}

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  /** Bytes of the answer read before the connection is cut (the answer is not kept). */
  maxResponseBytes: number;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/**
 * One POST of a webhook. Redirects are never followed (a 3xx is a failed attempt), the answer is read
 * up to a cap and dropped, and the whole exchange must end within timeoutMs.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: SendOptions,
): Promise<SendResult> {
  const started = performance.now();
  const done = (status: number | null, error: string | null): SendResult => ({
    status,
    error,
    latencyMs: Math.round(performance.now() - started),
  });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(done(null, "The URL is not valid."));
  }
  const literal = target.hostname.replace(/^\[|\]$/g, "");
  if (isIP(literal) && !options.allowPrivate && isPrivateAddress(literal))
    return Promise.resolve(done(null, new PrivateAddressError(literal).message));
  const secure = target.protocol === "https:";
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = (secure ? https : http).request(
      target,
      {
        method: "POST",
        agent: secure ? agents.https : agents.http,
        lookup: guardedLookup(options.allowPrivate) as never,
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "UnionView-Webhooks/1",
        },
      },
      (response) => {
        const status = response.statusCode ?? null;
        let read = 0;
        response.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > options.maxResponseBytes) {
            response.destroy();
            finish(done(status, status && status >= 200 && status < 300 ? null : `HTTP ${status}`));
          }
        });
        response.on("end", () =>
          finish(
            done(
              status,
              status && status >= 200 && status < 300
                ? null
                : status && status >= 300 && status < 400
                  ? `HTTP ${status}: redirects are not followed`
                  : `HTTP ${status}`,
            ),
          ),
        );
        response.on("error", () => finish(done(status, "The connection broke while reading the answer.")));
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish(done(null, `No answer within ${options.timeoutMs / 1000} s.`));
    }, options.timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) =>
      finish(
        done(
          null,
          error instanceof PrivateAddressError || error.code === "EPRIVATE"
            ? error.message
            : `Could not connect (${error.code ?? error.message}).`,
        ),
      ),
    );
    request.end(body);
  });
}
