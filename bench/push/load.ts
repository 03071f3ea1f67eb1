import { Agent, request } from "node:http";
import type { PushRequest } from "./messages";
import { sleep } from "./processes";

/** The load generator: open-loop requests with WeChat's 5 s timeout and retries, and their figures. */
export const TICK_MS = 100;

// No client-side queue: every request goes out at once, so a late answer is the server's.
// Idle sockets are dropped after 4 s, before the server's 5 s keep-alive timeout closes them under us.
export const agent = new Agent({ keepAlive: true, timeout: 4_000 });

export interface Sent {
  /** Reply latency of the first attempt (ms), including time queued in this client. */
  ms: number;
  ok: boolean;
  attempts: number;
  why?: string;
}

/** One attempt; WeChat gives up on an answer after 5 s from sending. */
export function attempt(
  base: string,
  req: PushRequest,
  method: "GET" | "POST",
): Promise<Omit<Sent, "attempts">> {
  const started = performance.now();
  return new Promise((done) => {
    let settled = false;
    const finish = (ok: boolean, why?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done({ ms: performance.now() - started, ok, why });
    };
    const r = request(
      `${base}${req.path}`,
      {
        method,
        agent,
        headers:
          method === "POST"
            ? { "content-type": "text/xml", "content-length": Buffer.byteLength(req.body) }
            : {},
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () =>
          finish(
            res.statusCode === 200 && (method === "GET" || body === "success"),
            `HTTP ${res.statusCode} ${body.slice(0, 80)}`,
          ),
        );
      },
    );
    const timer = setTimeout(() => {
      finish(false, "no answer within 5 s");
      r.destroy();
    }, 5_000);
    r.on("error", (error) => finish(false, error.message));
    r.end(method === "POST" ? req.body : undefined);
  });
}

/** Like WeChat: the same request again (up to 3 retries) when no good answer came. */
export async function send(base: string, req: PushRequest, method: "GET" | "POST"): Promise<Sent> {
  const first = await attempt(base, req, method);
  let last = first;
  let attempts = 1;
  while (!last.ok && attempts < 4) {
    attempts++;
    last = await attempt(base, req, method);
  }
  return { ms: first.ms, ok: last.ok, attempts, why: first.ok ? undefined : first.why };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;

export function summarise(results: Sent[], seconds: number) {
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  return {
    sent: results.length,
    failed: results.filter((r) => !r.ok).length,
    retried: results.filter((r) => r.attempts > 1).length,
    p50Ms: percentile(ms, 50),
    p99Ms: percentile(ms, 99),
    maxMs: ms[ms.length - 1] ?? NaN,
    perSec: results.length / seconds,
  };
}

/** Calls `make(tick)` every TICK_MS for `seconds`, spreading each tick's requests evenly. */
export async function openLoop(
  seconds: number,
  base: string,
  make: (tick: number) => Promise<{ req: PushRequest; method: "GET" | "POST" }[]>,
) {
  const pending: Promise<Sent>[] = [];
  const start = performance.now();
  const ticks = Math.round((seconds * 1000) / TICK_MS);
  for (let tick = 0; tick < ticks; tick++) {
    const t0 = start + tick * TICK_MS;
    await sleep(t0 - performance.now());
    const batch = await make(tick);
    batch.forEach(({ req, method }, i) => {
      const at = t0 + (i * TICK_MS) / batch.length;
      pending.push(sleep(at - performance.now()).then(() => send(base, req, method)));
    });
  }
  const results = await Promise.all(pending);
  return { results, seconds: (performance.now() - start) / 1000 };
}
