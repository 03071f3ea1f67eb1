import { afterAll, beforeAll, expect, it } from "vitest";
import { insertAccount } from "@/lib/accounts/store";
import { sqlite } from "@/lib/db";
import { startSimulator, type AccountInfo } from "@/lib/simulator";
import { useTempDatabase } from "@/lib/testing/temp-db";
import { enqueueSync } from "./queue";
import { simAdmin } from "@/lib/simulator/testing";
import {
  startWorkerProcess,
  stopWorkerProcess,
  wakeWorkerProcess,
  workerProcessPid,
  workerProcessStats,
} from "./worker-process";

let sim: Awaited<ReturnType<typeof startSimulator>>;
let cleanup: () => void;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 4, accounts: 1, followers: [60] });
  cleanup = useTempDatabase();
  process.env.WECHAT_API_BASE = sim.url;
});
afterAll(async () => {
  await stopWorkerProcess();
  cleanup?.();
  await sim?.close();
});

async function until(check: () => boolean, what: string) {
  for (let waited = 0; waited < 60_000; waited += 100) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const status = (runId: number) =>
  sqlite().prepare("SELECT status FROM sync_runs WHERE id = ?").pluck().get(runId) as string;

it("the web server's worker child runs queued syncs and is restarted after a SIGKILL", async () => {
  const [account] = await simAdmin<AccountInfo[]>(sim.url, "/__sim/accounts");
  const accountId = insertAccount({
    name: "A",
    appid: account!.appid,
    originalId: account!.originalId,
    boundToOpenPlatform: true,
    appsecret: account!.secret,
  });
  const lines: string[] = [];
  expect(startWorkerProcess((line) => lines.push(line))).toBe(true);
  const first = enqueueSync(sqlite(), { accountId, kind: "full", triggeredBy: "test" });
  wakeWorkerProcess();
  await until(() => status(first.runId) === "done", "the first sync");

  const pid = workerProcessPid()!;
  process.kill(pid, "SIGKILL");
  await until(() => (workerProcessPid() ?? pid) !== pid, "a new worker process");
  expect(lines.join("\n")).toMatch(/exited \(SIGKILL\); restarting in 1 s/);
  expect(workerProcessStats().restarts).toBe(1);

  const second = enqueueSync(sqlite(), { accountId, kind: "incremental", triggeredBy: "test" });
  wakeWorkerProcess();
  await until(() => status(second.runId) === "done", "the sync after the restart");
}, 90_000);
