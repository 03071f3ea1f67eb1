import type { accountsFixture, SimAccountInfo } from "@/lib/testing/temp-db";
import { testClient } from "@/lib/wechat/testing";
import { runSync, type RunOutcome } from "./engine";
import { claimRun, enqueueSync, finishRun, type SyncKind } from "./queue";

/** Enqueues and runs one sync to its end in this process, as a worker would. */
export async function syncOnce(
  fixture: ReturnType<typeof accountsFixture>,
  baseUrl: string,
  account: SimAccountInfo,
  kind: SyncKind,
  options: { now?: () => number } = {},
): Promise<{ runId: number; outcome: RunOutcome }> {
  const now = options.now ?? Date.now;
  const accountId = fixture.ids.get(account.appid)!;
  const { runId } = enqueueSync(fixture.sqlite, { accountId, kind, triggeredBy: "test", now: now() });
  const claimed = claimRun(fixture.sqlite, "test", now(), 60_000);
  if (claimed?.id !== runId) throw new Error(`expected to claim run ${runId}, got ${claimed?.id}`);
  const calls = { count: 0 };
  const client = testClient(fixture.db, baseUrl, account, { onCall: () => calls.count++, concurrency: 4 });
  const outcome = await runSync(runId, { sqlite: fixture.sqlite, client, calls, now });
  finishRun(fixture.sqlite, runId, "test", outcome, now());
  return { runId, outcome };
}
