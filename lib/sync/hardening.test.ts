import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectedFromTruth, maintainedFigures } from "@/lib/followers/testing";
import { startSimulator, type Truth } from "@/lib/simulator";
import { simAdmin } from "@/lib/simulator/testing";
import { accountsFixture, type SimAccountInfo } from "@/lib/testing/temp-db";
import { TRANSPORT_ERRCODE } from "@/lib/wechat/errors";
import { testClient } from "@/lib/wechat/testing";
import { runSync, type RunOutcome } from "./engine";
import { claimRun, enqueueSync, finishRun } from "./queue";
import { syncOnce } from "./testing";
import { SyncWorker } from "./worker";

/**
 * What an outside review broke (issue 18): a full disk sent the worker into a hot loop, a rewriting
 * proxy's phantom openids were stored, and a few seconds of upstream trouble failed a whole run.
 */
type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let accounts: SimAccountInfo[];
let fixture: ReturnType<typeof accountsFixture>;
const admin = <T>(path: string, body?: unknown, method?: string) => simAdmin<T>(sim.url, path, body, method);
const slots = () => new Map(accounts.map((a, i) => [i, a.appid]));

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 5, accounts: 1, followers: 2500, unbound: 0 });
  accounts = await admin<SimAccountInfo[]>("/__sim/accounts");
});
afterAll(() => sim.close());
afterEach(async () => {
  await admin("/__sim/faults", undefined, "DELETE");
  fixture?.cleanup();
});

async function expectTruth() {
  const truth = await admin<Truth>("/__sim/truth");
  expect(maintainedFigures(fixture.sqlite, slots())).toEqual(expectedFromTruth(truth));
}

const runRow = (runId: number) =>
  fixture.sqlite
    .prepare("SELECT status, error_category, error_code FROM sync_runs WHERE id = ?")
    .get(runId) as {
    status: string;
    error_category: string | null;
    error_code: number | null;
  };

describe("a full disk", () => {
  it("pauses the run, backs the worker off instead of re-claiming in a loop, and carries on once there is space", async () => {
    fixture = accountsFixture(accounts);
    const accountId = fixture.ids.get(accounts[0]!.appid)!;
    let clock = Date.now();
    const lines: string[] = [];
    const worker = new SyncWorker({
      sqlite: fixture.sqlite,
      clientFor: () => testClient(fixture.db, sim.url, accounts[0]!),
      now: () => clock,
      pollMs: 60_000,
      diskFullBackoffMs: 5000,
      profileChunk: 500,
      log: (line) => lines.push(line),
    });
    const { runId } = enqueueSync(fixture.sqlite, {
      accountId,
      kind: "full",
      triggeredBy: "test",
      now: clock,
    });
    // The database may not grow by a single page: the run's first staged openids do not fit.
    const pages = fixture.sqlite.pragma("page_count", { simple: true }) as number;
    fixture.sqlite.pragma(`max_page_count = ${pages}`);

    worker.wake();
    await worker.drain().catch(() => undefined);
    for (let i = 0; i < 50; i++) worker.wake(); // the old worker claimed the run again on every poll
    expect(lines.filter((l) => l.endsWith("started"))).toHaveLength(1);
    expect(lines.filter((l) => l.includes("disk holding the database is full"))).toHaveLength(1);
    expect(worker.backingOff).toBe(true);
    expect(runRow(runId)).toMatchObject({ status: "paused", error_category: "disk-full" });

    // Space is back: after its wait the worker resumes the run by itself and finishes it exactly.
    fixture.sqlite.pragma("max_page_count = 1073741823");
    clock += 60_000;
    worker.wake();
    await worker.drain();
    await worker.stop();
    expect(runRow(runId).status).toBe("done");
    expect(lines.filter((l) => l.endsWith("started"))).toHaveLength(2);
    await expectTruth();
  });
});

/** A proxy in front of the simulator that rewrites every openid a batchget answers. */
async function rewritingProxy(target: string): Promise<{ url: string; server: Server }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          const body: Buffer[] = [];
          answer.on("data", (c: Buffer) => body.push(c));
          answer.on("end", () => {
            let text = Buffer.concat(body).toString();
            if (req.url?.startsWith("/cgi-bin/user/info/batchget"))
              text = text.replace(
                /"openid":"([^"]+)"/g,
                (_m, id: string) => `"openid":"${id.slice(0, -4)}XXXX"`,
              );
            res.writeHead(answer.statusCode ?? 502, { "content-type": "application/json" });
            res.end(text);
          });
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("a batchget answer with openids that were not asked for", () => {
  it("fails the run with the mismatch and writes nothing from it", async () => {
    fixture = accountsFixture(accounts);
    const proxy = await rewritingProxy(sim.url);
    try {
      const { runId, outcome } = await syncOnce(fixture, proxy.url, accounts[0]!, "full");
      expect(outcome.status).toBe("failed");
      expect(runRow(runId)).toMatchObject({ status: "failed", error_code: TRANSPORT_ERRCODE.mismatch });
      const count = (table: string) =>
        fixture.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
      expect(count("followers")).toBe(0);
      expect(count("people")).toBe(0);
    } finally {
      proxy.server.close();
    }
  });
});

describe("upstream trouble that outlasts the client's retries", () => {
  /** Runs the account's sync as the worker would, through pauses, with the clock moved past each one. */
  async function syncThroughPauses(persistMs: number) {
    const accountId = fixture.ids.get(accounts[0]!.appid)!;
    let clock = Date.now();
    const { runId } = enqueueSync(fixture.sqlite, {
      accountId,
      kind: "full",
      triggeredBy: "test",
      now: clock,
    });
    const outcomes: RunOutcome[] = [];
    for (let attempt = 0; attempt < 30; attempt++) {
      const claimed = claimRun(fixture.sqlite, "w", clock, 60_000);
      if (!claimed) break;
      const client = testClient(fixture.db, sim.url, accounts[0]!, { retryBaseMs: 1, maxRetries: 2 });
      const outcome = await runSync(runId, {
        sqlite: fixture.sqlite,
        client,
        calls: { count: 0 },
        now: () => clock,
        profileChunk: 500,
        troubleBackoffMs: 1000,
        troublePersistMs: persistMs,
      });
      finishRun(fixture.sqlite, runId, "w", outcome, clock);
      outcomes.push(outcome);
      if (outcome.status !== "paused") break;
      clock = outcome.until + 1;
    }
    return { runId, outcomes };
  }

  it("is ridden out: the run pauses, resumes from its checkpoint and finishes with exact counts", async () => {
    fixture = accountsFixture(accounts);
    // Every batchget call fails (dropped connections, then -1) until 40 have failed: a few calls' retries.
    await admin("/__sim/faults", { path: "/cgi-bin/user/info/batchget", drop: true, times: 30 });
    await admin("/__sim/faults", { path: "/cgi-bin/user/info/batchget", errcode: -1, times: 10 });
    const { runId, outcomes } = await syncThroughPauses(15 * 60_000);
    expect(outcomes.filter((o) => o.status === "paused").length).toBeGreaterThan(0);
    expect(outcomes.at(-1)?.status).toBe("done");
    expect(runRow(runId).status).toBe("done");
    await expectTruth();
  });

  it("fails only once the trouble has persisted, saying so", async () => {
    fixture = accountsFixture(accounts);
    await admin("/__sim/faults", { path: "/cgi-bin/user/info/batchget", errcode: -1 });
    const { runId, outcomes } = await syncThroughPauses(10_000);
    expect(outcomes.filter((o) => o.status === "paused").length).toBeGreaterThan(1);
    expect(outcomes.at(-1)?.status).toBe("failed");
    expect(runRow(runId)).toMatchObject({ status: "failed", error_code: TRANSPORT_ERRCODE.persistent });
  });
});
