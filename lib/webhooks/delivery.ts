import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import { postWebhook, type SendResult } from "./send";
import { signatureHeaders } from "./signing";

export interface DeliveryOptions {
  sqlite: Database.Database;
  /** Opens an endpoint's sealed whsec_ secret. */
  openSecret: (endpointId: number, sealed: string) => string;
  allowPrivate: boolean;
  now?: () => number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** A claimed delivery not finished by then is taken by another worker (a killed one's, say). */
  leaseMs?: number;
  timeoutMs?: number;
  maxResponseBytes?: number;
  pollMs?: number;
  log?: (line: string) => void;
}

/** Wait before retry n (1 = after the first failure): 5 s, 15 s, 45 s, … up to 4 h, ±20 %. */
export function retryDelay(attempts: number, random = Math.random): number {
  const base = Math.min(5_000 * 3 ** (attempts - 1), 4 * 60 * 60_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

interface Claimed {
  id: number;
  endpointId: number;
  outboxId: number;
  attempts: number;
  giveUpAt: number;
}

/**
 * Delivers webhook events from the outbox's delivery rows: claims due ones under a lease (so several
 * workers can share the queue and a killed worker's claims come back), posts them signed, and records
 * each attempt. A delivery is only claimed when no earlier delivery of the same person or follower is
 * still pending for that endpoint, so each receiver gets a person's events in order. At least once:
 * a receiver deduplicates by webhook-id.
 */
export class WebhookDelivery {
  readonly owner = `${process.pid}:${randomBytes(3).toString("hex")}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly now: () => number;
  private readonly stmt;
  private readonly secrets = new Map<number, { sealed: string; secret: string }>();

  constructor(private readonly options: DeliveryOptions) {
    this.now = options.now ?? Date.now;
    const { sqlite } = options;
    const earlierPending = (column: string) =>
      `NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.endpoint_id = d.endpoint_id AND e.${column} = d.${column}
                     AND e.status = 'pending' AND e.id < d.id)`;
    this.stmt = {
      claim: sqlite.prepare(
        `UPDATE webhook_deliveries SET lease_until = @leaseUntil
          WHERE id IN (
            SELECT d.id FROM webhook_deliveries d INDEXED BY webhook_deliveries_pending
             WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND coalesce(d.lease_until, 0) <= @now
               AND ${earlierPending("order_key")} AND ${earlierPending("openid_key")}
             ORDER BY d.id LIMIT @limit)
          RETURNING id, endpoint_id AS endpointId, outbox_id AS outboxId, attempts, give_up_at AS giveUpAt`,
      ),
      message: sqlite.prepare(
        `SELECT o.msg_id AS msgId, o.body, e.url, e.secret_sealed AS sealed, e.disabled_at AS disabledAt
           FROM outbox o, webhook_endpoints e WHERE o.id = ? AND e.id = ?`,
      ),
      delivered: sqlite.prepare(
        `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_attempt_at = @at,
                last_status = @status, last_latency_ms = @latency, last_error = NULL, delivered_at = @at, lease_until = NULL
          WHERE id = @id AND status = 'pending'`,
      ),
      failed: sqlite.prepare(
        `UPDATE webhook_deliveries SET status = @state, attempts = attempts + 1, last_attempt_at = @at,
                last_status = @status, last_latency_ms = @latency, last_error = @error, next_attempt_at = @next,
                lease_until = NULL
          WHERE id = @id AND status = 'pending'`,
      ),
    };
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.drainDue()
        .then(() => undefined)
        .catch((error: unknown) =>
          this.options.log?.(`webhooks: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => {
          this.running = null;
          if (this.stopped) return;
          this.timer = setTimeout(tick, this.options.pollMs ?? 1000);
          this.timer.unref?.();
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Sends everything due now; returns how many attempts were made. */
  async drainDue(): Promise<number> {
    let total = 0;
    for (;;) {
      // Another pass picks up deliveries that waited behind one finished in the previous pass.
      const n = await this.pass();
      total += n;
      if (n === 0 || this.stopped) return total;
    }
  }

  /**
   * `concurrency` lanes, each claiming a few due deliveries at a time and recording each attempt as it
   * ends (no lane waits for another's slow receiver). Returns when nothing due is left to claim.
   */
  private async pass(): Promise<number> {
    let attempted = 0;
    // Results are written a few at a time: one transaction per attempt cost more than the attempt.
    let done: { claim: Claimed; result: SendResult; at: number }[] = [];
    const flush = () => {
      if (done.length === 0) return;
      const batch = done;
      done = [];
      this.options.sqlite.transaction(() => {
        for (const { claim, result, at } of batch) this.record(claim, result, at);
      })();
    };
    const lane = async () => {
      while (!this.stopped) {
        flush();
        const claimed = this.claim(8);
        if (claimed.length === 0) return;
        for (const claim of claimed) {
          const result = await this.attempt(claim);
          attempted++;
          if (result) done.push({ claim, result, at: this.now() });
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: this.options.concurrency ?? 16 }, lane));
    } finally {
      flush();
    }
    return attempted;
  }

  private claim(limit: number): Claimed[] {
    const now = this.now();
    const claimed = this.stmt.claim.all({
      now,
      leaseUntil: now + (this.options.leaseMs ?? 60_000),
      limit,
    }) as Claimed[];
    return claimed.sort((a, b) => a.id - b.id);
  }

  private secretOf(endpointId: number, sealed: string): string {
    const cached = this.secrets.get(endpointId);
    if (cached?.sealed === sealed) return cached.secret;
    const secret = this.options.openSecret(endpointId, sealed);
    this.secrets.set(endpointId, { sealed, secret });
    return secret;
  }

  private async attempt(claim: Claimed): Promise<SendResult | null> {
    const row = this.stmt.message.get(claim.outboxId, claim.endpointId) as
      { msgId: string; body: string; url: string; sealed: string; disabledAt: number | null } | undefined;
    if (!row || row.disabledAt) return null; // deleted or disabled meanwhile: the row goes with it
    // The wall clock, not the scheduling clock: receivers refuse timestamps far from their own time.
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signatureHeaders(
      this.secretOf(claim.endpointId, row.sealed),
      row.msgId,
      timestamp,
      row.body,
    );
    return postWebhook(row.url, headers, row.body, {
      timeoutMs: this.options.timeoutMs ?? 10_000,
      allowPrivate: this.options.allowPrivate,
      maxResponseBytes: this.options.maxResponseBytes ?? 64 * 1024,
    });
  }

  private record(claim: Claimed, result: SendResult, at: number): void {
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    if (ok) {
      this.stmt.delivered.run({ id: claim.id, at, status: result.status, latency: result.latencyMs });
      return;
    }
    const next = at + retryDelay(claim.attempts + 1);
    this.stmt.failed.run({
      id: claim.id,
      at,
      status: result.status,
      latency: result.latencyMs,
      error: result.error,
      next,
      state: next > claim.giveUpAt ? "failed" : "pending",
    });
  }
}
