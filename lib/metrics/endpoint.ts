import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { childLogger } from "@/lib/log";
import { metricsRegistry } from "./registry";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Compares the bearer token in constant time (both sides hashed to the same length first). */
export function bearerMatches(header: string | null, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return timingSafeEqual(digest(match?.[1] ?? ""), digest(token)) && match !== null;
}

/**
 * GET /metrics: 404 while METRICS_TOKEN is unset (nothing tells a scanner it exists), 401 without
 * `Authorization: Bearer <METRICS_TOKEN>`, else the Prometheus text format.
 */
export async function metricsResponse(request: Request, requestId: string): Promise<Response> {
  const token = env().METRICS_TOKEN;
  const registry = metricsRegistry();
  if (!token || !registry) return new Response("Not found\n", { status: 404 });
  if (!bearerMatches(request.headers.get("authorization"), token)) {
    childLogger({ requestId, path: "/metrics" }).warn(
      "metrics: refused a scrape without the right bearer token",
    );
    return new Response("A bearer token (METRICS_TOKEN) is required.\n", {
      status: 401,
      headers: { "www-authenticate": 'Bearer realm="metrics"', "x-request-id": requestId },
    });
  }
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store", "x-request-id": requestId },
  });
}
