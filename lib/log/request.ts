import { randomUUID } from "node:crypto";

const SAFE_ID = /^[\w.:-]{1,100}$/;

/**
 * The request id a log line carries: the one a reverse proxy sent (`X-Request-Id`) when it looks like
 * an id, else a new one.
 */
export function requestIdOf(request: Request | { headers: Headers } | string | null | undefined): string {
  const given =
    typeof request === "string" || request == null ? request : request.headers.get("x-request-id");
  return given && SAFE_ID.test(given) ? given : randomUUID();
}
