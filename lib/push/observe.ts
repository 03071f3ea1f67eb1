import "server-only";
import { requestIdOf } from "@/lib/log/request";
import { pushMetrics } from "@/lib/metrics/registry";
import type { PushReply } from "./receive";
import { logPushRefusal } from "./refusal-log";

/**
 * A bounded label for why a push was refused (the refusal texts carry details such as a crypto
 * error's message; a metric label must not take arbitrary values).
 */
export function refusalKind(status: number, reason = ""): string {
  if (/unknown/.test(reason)) return "unknown-account";
  if (/disabled/.test(reason)) return "disabled";
  if (/no-token/.test(reason)) return "no-push-token";
  if (status === 413) return "too-large";
  if (/signature mismatch/.test(reason)) return "signature";
  if (/timestamp|CreateTime/.test(reason)) return "replay-window";
  if (/already used/.test(reason)) return "signed-url-reused";
  if (/are required/.test(reason)) return "missing-query";
  if (/EncodingAESKey/.test(reason)) return "no-aes-key";
  if (status === 403) return "crypto";
  return "malformed";
}

/**
 * One push request's observation: started when it arrives, finished with the reply. Counts it
 * (when metrics are on), times the reply, and logs refusals through the aggregated refusal log with
 * the request id and appid (never the query, which carries signatures, nor the body).
 */
export function observePush(request: Request | string | null | undefined) {
  const started = performance.now();
  const metrics = pushMetrics();
  return {
    finish(appid: string | null, result: PushReply): void {
      const refused = result.status !== 200;
      if (metrics) {
        if (appid) metrics.received.inc({ appid });
        if (refused)
          metrics.refused.inc({
            reason: refusalKind(result.status, result.reason),
            status: String(result.status),
          });
        else if (result.reason === "duplicate delivery") metrics.duplicates.inc({ appid: appid ?? "" });
        else metrics.applied.inc({ appid: appid ?? "" });
        metrics.reply.observe(
          { outcome: refused ? "refused" : "success" },
          (performance.now() - started) / 1000,
        );
      }
      // Aggregated per appid (one window for all unknown ones): a client cannot set the log volume.
      if (refused)
        logPushRefusal(appid ?? "(unknown appid)", result.status, result.reason, requestIdOf(request));
    },
  };
}
