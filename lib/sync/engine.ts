import { FollowerWriter } from "@/lib/followers/writer";
import { nextBeijingMidnight } from "@/lib/time/beijing";
import { WeChatError } from "@/lib/wechat/errors";
import { completeRun, markVanished } from "./phases/finalising";
import { listFollowers } from "./phases/listing";
import { fetchProfiles } from "./phases/profiles";
import { LeaseLost, openRun } from "./run-context";
import type { EngineOptions, RunOutcome } from "./run-types";
import { DiskFullError, isDiskFull, isTransient, rideOut } from "./trouble";

export type { Checkpoint, EngineOptions, RunOutcome, RunRow } from "./run-types";

/**
 * Runs (or resumes) one sync run to its end. Work happens in three phases (lib/sync/phases/), each
 * batch in one transaction together with the checkpoint and counters, so a killed process resumes
 * exactly where the last commit left off:
 *   listing    – page through user/get, staging every openid in sync_listed;
 *   profiles   – batchget the staged openids that need it, write followers, people and counts;
 *   finalising – followers subscribed before but not listed now are marked unfollowed; snapshot.
 */
export async function runSync(runId: number, options: EngineOptions): Promise<RunOutcome> {
  const run = openRun(runId, options);
  if (!run) return { status: "failed", error: new Error("The account of this run was deleted.") };
  try {
    if (!(await listFollowers(run))) return { status: "stopped" };
    const writer = new FollowerWriter(run.sqlite, run.account, run.now, run.onChange);
    if (!(await fetchProfiles(run, writer))) return { status: "stopped" };
    if (!markVanished(run, writer)) return { status: "stopped" };
    await completeRun(run);
    return { status: "done" };
  } catch (error) {
    if (error instanceof LeaseLost) return { status: "stopped" };
    if (isDiskFull(error)) {
      // Nothing more can be written now (not even the counters): the worker backs off and retries.
      return {
        status: "paused",
        until: run.now() + (options.diskFullBackoffMs ?? 30_000),
        error: new DiskFullError(error),
      };
    }
    try {
      run.sqlite
        .prepare("UPDATE sync_runs SET api_calls = api_calls + ? WHERE id = ?")
        .run(run.takeApiCalls(), runId);
    } catch (counting) {
      if (!isDiskFull(counting)) throw counting;
    }
    if (error instanceof WeChatError && error.category === "quota-exhausted") {
      return { status: "paused", until: nextBeijingMidnight(run.now()), error };
    }
    if (isTransient(error)) return rideOut(run, error);
    return { status: "failed", error };
  }
}
