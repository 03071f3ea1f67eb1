import "server-only";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { env } from "@/lib/env";
import { registerDatabaseCollectors } from "./collectors";

/**
 * The web server's Prometheus registry (prom-client), built on the first use while METRICS_TOKEN is
 * set; kept on globalThis so route handlers and instrumentation share one. Counters of what happens
 * in this process (push requests) are kept here; what the worker child and other processes do is
 * read from the database when /metrics is scraped (./collectors.ts).
 */
export interface PushMetrics {
  received: Counter<"appid">;
  applied: Counter<"appid">;
  duplicates: Counter<"appid">;
  refused: Counter<"reason" | "status">;
  reply: Histogram<"outcome">;
}

interface MetricsState {
  registry: Registry;
  push: PushMetrics;
}

const cache = globalThis as unknown as { __unionviewMetrics?: MetricsState | null };

export function metricsEnabled(): boolean {
  return Boolean(env().METRICS_TOKEN);
}

function build(): MetricsState {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const push: PushMetrics = {
    received: new Counter({
      name: "unionview_push_requests_received_total",
      help: "WeChat push POSTs received for a registered account (unknown appids are counted as refused).",
      labelNames: ["appid"],
      registers: [registry],
    }),
    applied: new Counter({
      name: "unionview_push_events_applied_total",
      help: "Pushed events checked and committed (answered success).",
      labelNames: ["appid"],
      registers: [registry],
    }),
    duplicates: new Counter({
      name: "unionview_push_events_duplicate_total",
      help: "WeChat retries of an event already stored (answered success, nothing changed).",
      labelNames: ["appid"],
      registers: [registry],
    }),
    refused: new Counter({
      name: "unionview_push_requests_refused_total",
      help: "Push requests refused before anything was stored, by reason and HTTP status.",
      labelNames: ["reason", "status"],
      registers: [registry],
    }),
    reply: new Histogram({
      name: "unionview_push_reply_seconds",
      help: "Time from receiving a push to replying (WeChat gives up after 5 s).",
      labelNames: ["outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
  registerDatabaseCollectors(registry);
  return { registry, push };
}

function state(): MetricsState | null {
  if (cache.__unionviewMetrics === undefined) cache.__unionviewMetrics = metricsEnabled() ? build() : null;
  return cache.__unionviewMetrics;
}

/** The registry, or null when metrics are off (METRICS_TOKEN unset). */
export function metricsRegistry(): Registry | null {
  return state()?.registry ?? null;
}

/** The push counters, or null when metrics are off (the push path then does no metrics work). */
export function pushMetrics(): PushMetrics | null {
  return state()?.push ?? null;
}

/** Forgets the registry (tests that change METRICS_TOKEN). */
export function resetMetrics(): void {
  delete cache.__unionviewMetrics;
}
