import type Database from "better-sqlite3";
import { FollowerWriter } from "@/lib/followers/writer";
import { nextBeijingMidnight } from "@/lib/time/beijing";
import type { WeChatClient } from "@/lib/wechat/client";
import { WeChatError } from "@/lib/wechat/errors";
import { completeRun, markVanished } from "./phases/finalising";
import { listFollowers } from "./phases/listing";
import { fetchProfiles } from "./phases/profiles";
import { LeaseLost, openRun } from "./run-context";

export interface Checkpoint {
  /** Listing: the next_openid to continue from, and how many openids are staged. */
  cursor: string;
  listingDone: boolean;
  /** Profiles: the last staged seq whose profile was applied. */
  lastSeq: number;
}

export interface RunRow {
  id: number;
  account_id: string;
  kind: "full" | "incremental";
  checkpoint: string | null;
  listed: number;
  lease_owner: string | null;
}

export interface EngineOptions {
  sqlite: Database.Database;
  client: WeChatClient;
  now?: () => number;
  /** Incremental syncs refetch profiles older than this. */
  refreshDays?: number;
  /** Profiles per batch (fetched, then committed with the checkpoint in one transaction). */
  profileChunk?: number;
  /**
   * The worker holding the run's lease (default: the lease owner when the run starts here). Every
   * batch commits only while this owner still holds it: a worker that lost its lease without noticing
   * yet (its heartbeat comes later) rolls its batch back and stops instead of writing over its successor.
   */
  owner?: string;
  /** Called between batches; returning false stops the run (lease lost or cancel requested). */
  shouldContinue?: () => boolean;
  /** Incremented by the client for every request (its onCall option), so the run can count its API calls. */
  calls: { count: number };
  /** Pause (like a 45009) once the account has made this many API calls today (Beijing day). */
  dailyCallBudget?: number;
}

export type RunOutcome =
  | { status: "done" }
  | { status: "paused"; until: number; error: WeChatError }
  | { status: "failed"; error: unknown }
  | { status: "stopped" };

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
    run.sqlite
      .prepare("UPDATE sync_runs SET api_calls = api_calls + ? WHERE id = ?")
      .run(run.takeApiCalls(), runId);
    if (error instanceof WeChatError && error.category === "quota-exhausted") {
      return { status: "paused", until: nextBeijingMidnight(run.now()), error };
    }
    return { status: "failed", error };
  }
}
