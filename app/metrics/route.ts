import { requestIdOf } from "@/lib/log/request";
import { metricsResponse } from "@/lib/metrics/endpoint";

/** Prometheus scrape endpoint; see lib/metrics/endpoint.ts (off unless METRICS_TOKEN is set). */
export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return metricsResponse(request, requestIdOf(request));
}
