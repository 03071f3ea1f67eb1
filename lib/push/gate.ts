import type { IncomingMessage, ServerResponse } from "node:http";
import { childLogger } from "@/lib/log";
import { answerPush, readNodeBody, writeNodeReply } from "./http";

/**
 * Push requests the server entry holds at once (body being read, or waiting for its group commit).
 * At 2,000 events/s a full gate is about half a second of work: far inside WeChat's 5 s.
 */
export const PUSH_MAX_IN_FLIGHT = 1000;

/**
 * Admission for the push URL in the server entry. A request is admitted only while fewer than
 * `maxInFlight` are held and the server is not stopping; otherwise it gets 503 at once, before its body
 * is read, so nothing WeChat sent is taken and then dropped: WeChat retries it later. An admitted
 * event is answered only after its commit (the group commit in lib/push/endpoint.ts).
 */
export class PushGate {
  private inFlight = 0;
  private closing = false;
  private idleWaiters: (() => void)[] = [];
  /** Requests answered 503 by the gate (overload or shutdown). */
  shed = 0;

  constructor(private readonly maxInFlight = PUSH_MAX_IN_FLIGHT) {}

  get held(): number {
    return this.inFlight;
  }

  async handle(req: IncomingMessage, res: ServerResponse, appid: string, query: URLSearchParams) {
    if (this.closing || this.inFlight >= this.maxInFlight) {
      this.shed++;
      // The unread body goes with the connection.
      writeNodeReply(res, { status: 503, body: "" }, { connection: "close", "retry-after": "1" });
      return;
    }
    this.inFlight++;
    let reply;
    try {
      const requestId = req.headers["x-request-id"];
      reply = await answerPush(
        req.method ?? "GET",
        appid,
        query,
        () => readNodeBody(req),
        [requestId].flat()[0],
      );
    } catch (error) {
      // Not committed (a database error, an aborted body): WeChat retries on anything but success.
      childLogger({ component: "push", appid }).error({ error: (error as Error).message }, "push not stored");
      reply = { status: 500, body: "" };
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
    if (res.destroyed) return;
    // A 413's body may still be arriving: close rather than read it.
    const close = this.closing || reply.status === 413;
    writeNodeReply(res, reply, close ? { connection: "close" } : {});
  }

  /** Stops admitting: every later push request gets 503 (WeChat retries it on the next server). */
  close(): void {
    this.closing = true;
  }

  /** Resolves once every admitted request has been answered (so its event is committed or refused). */
  drained(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
