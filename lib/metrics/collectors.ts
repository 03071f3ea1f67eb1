import "server-only";
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { sqlite } from "@/lib/db";
import { env } from "@/lib/env";
import { workerProcessStats } from "@/lib/sync/worker-process";
import { beijingDay } from "@/lib/time/beijing";
import { HEARTBEAT_STALE_MS } from "@/lib/health/readiness";
import * as q from "./queries";

const RUN_BUCKETS = [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600];

/**
 * Metrics computed from database rows at scrape time (the worker is another process). Each collect()
 * resets its metric and sets it from the rows; the `_total` ones are sums of per-day ledgers and
 * sync_runs rows that only grow, so they behave as counters.
 */
export function registerDatabaseCollectors(registry: Registry): void {
  const registers = [registry];

  new Gauge({
    name: "unionview_sync_runs",
    help: "Sync runs in the database by kind and status (done, failed and cancelled only grow).",
    labelNames: ["kind", "status"],
    registers,
    collect() {
      this.reset();
      for (const row of q.syncRunCounts(sqlite())) this.set({ kind: row.kind, status: row.status }, row.n);
    },
  });

  new Histogram({
    name: "unionview_sync_run_duration_seconds",
    help: "Start to finish of finished sync runs, by kind and status.",
    labelNames: ["kind", "status"],
    buckets: RUN_BUCKETS,
    registers,
    collect() {
      this.reset();
      for (const row of q.finishedRunDurations(sqlite()))
        this.observe({ kind: row.kind, status: row.status }, Math.max(0, row.seconds));
    },
  });

  new Gauge({
    name: "unionview_job_queue_depth",
    help: "Jobs waiting or in progress, by queue and status (sync: queued, running, paused).",
    labelNames: ["queue", "status"],
    registers,
    collect() {
      this.reset();
      for (const status of ["queued", "running", "paused"]) this.set({ queue: "sync", status }, 0);
      for (const row of q.syncRunCounts(sqlite()))
        if (row.status === "queued" || row.status === "running" || row.status === "paused")
          this.inc({ queue: "sync", status: row.status }, row.n);
    },
  });

  new Counter({
    name: "unionview_wechat_calls_total",
    help: "WeChat API calls by account and endpoint (api_usage ledger, every process).",
    labelNames: ["appid", "endpoint"],
    registers,
    collect() {
      this.reset();
      for (const row of q.wechatCalls(sqlite()))
        this.inc({ appid: row.appid, endpoint: row.path }, row.calls);
    },
  });

  new Counter({
    name: "unionview_wechat_errors_total",
    help: "WeChat API calls answered with an errcode, by account, endpoint and errcode.",
    labelNames: ["appid", "endpoint", "errcode"],
    registers,
    collect() {
      this.reset();
      for (const row of q.wechatErrors(sqlite()))
        this.inc({ appid: row.appid, endpoint: row.path, errcode: String(row.errcode) }, row.n);
    },
  });

  new Gauge({
    name: "unionview_wechat_quota_remaining",
    help: "Calls left today as WeChat's quota/get last reported them, by account and endpoint.",
    labelNames: ["appid", "endpoint"],
    registers,
    collect() {
      this.reset();
      for (const row of q.quotaRemaining(sqlite()))
        this.set({ appid: row.appid, endpoint: row.path }, row.remain);
    },
  });

  new Gauge({
    name: "unionview_sync_call_budget_remaining",
    help: "Calls left today under SYNC_DAILY_CALL_BUDGET per account (absent when no budget is set).",
    labelNames: ["appid"],
    registers,
    collect() {
      this.reset();
      const budget = env().SYNC_DAILY_CALL_BUDGET;
      if (!budget) return;
      const used = new Map(
        q.wechatCallsOnDay(sqlite(), beijingDay(Date.now())).map((r) => [r.appid, r.calls]),
      );
      for (const row of q.followerCounts(sqlite()))
        this.set({ appid: row.appid }, Math.max(0, budget - (used.get(row.appid) ?? 0)));
    },
  });

  new Gauge({
    name: "unionview_followers",
    help: "Current followers per account (maintained counts).",
    labelNames: ["appid"],
    registers,
    collect() {
      this.reset();
      for (const row of q.followerCounts(sqlite())) this.set({ appid: row.appid }, row.followers);
    },
  });

  new Gauge({
    name: "unionview_followers_without_unionid",
    help: "Current followers per account that have no UnionID.",
    labelNames: ["appid"],
    registers,
    collect() {
      this.reset();
      for (const row of q.followerCounts(sqlite())) this.set({ appid: row.appid }, row.withoutUnionid);
    },
  });

  new Gauge({
    name: "unionview_people",
    help: "People following at least one account now (one per UnionID, or per follower without one).",
    registers,
    collect() {
      this.set(q.peopleCounts(sqlite()).people);
    },
  });

  new Gauge({
    name: "unionview_people_without_unionid",
    help: "Of unionview_people, those without a UnionID.",
    registers,
    collect() {
      this.set(q.peopleCounts(sqlite()).withoutUnionid);
    },
  });

  new Gauge({
    name: "unionview_worker_heartbeat_age_seconds",
    help: "Seconds since the newest sync worker heartbeat (absent when no worker ever ran).",
    registers,
    collect() {
      this.reset();
      const beat = q.newestHeartbeat(sqlite());
      if (beat !== null) this.set(Math.max(0, (Date.now() - beat) / 1000));
    },
  });

  new Gauge({
    name: "unionview_worker_up",
    help: `1 when a sync worker's heartbeat is fresher than ${HEARTBEAT_STALE_MS / 1000} s.`,
    registers,
    collect() {
      const beat = q.newestHeartbeat(sqlite());
      this.set(beat !== null && Date.now() - beat <= HEARTBEAT_STALE_MS ? 1 : 0);
    },
  });

  new Counter({
    name: "unionview_worker_restarts_total",
    help: "Times this web server restarted its sync worker child after it died.",
    registers,
    collect() {
      this.reset();
      this.inc(workerProcessStats().restarts);
    },
  });

  // Webhook deliveries, delivery lag and outbox depth belong here once webhooks and the outbox exist
  // (another issue): register them from lib/webhooks' own queries, read at scrape like the above.
}
