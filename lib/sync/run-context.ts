import type Database from "better-sqlite3";
import type { AccountRef, BatchCounts, ChangeKind } from "@/lib/followers/writer";
import { beijingDay } from "@/lib/time/beijing";
import type { WeChatClient } from "@/lib/wechat/client";
import { TRANSPORT_ERRCODE, WeChatError } from "@/lib/wechat/errors";
import type { Checkpoint, EngineOptions, RunRow } from "./run-types";

/** Counters a batch adds to its run, besides the writer's follower counts. */
export type Progress = Partial<BatchCounts> & {
  total?: number;
  toFetch?: number;
  fetched?: number;
  rejected?: number;
};

/** The run was taken over by another worker (or finished) while this one was waiting. */
export class LeaseLost extends Error {
  constructor(runId: number) {
    super(`sync run ${runId} is no longer held by this worker`);
  }
}

/**
 * One run's state shared by its phases: the run and its account, the checkpoint (mutated by the phases
 * and saved with every batch), and the statements every batch commits through.
 */
export interface RunContext {
  runId: number;
  run: RunRow;
  sqlite: Database.Database;
  client: WeChatClient;
  account: AccountRef;
  checkpoint: Checkpoint;
  /** Openids staged by the listing so far. */
  listed: number;
  now: () => number;
  shouldContinue: () => boolean;
  options: EngineOptions;
  /** Records a follower's change for the run's change list (none on an account's first import). */
  onChange?: (openid: string, change: ChangeKind, personId: number | null) => void;
  /** Throws (as a 45009 would) once the account's daily call budget is spent. */
  checkBudget(): void;
  /** Saves the batch's checkpoint and counters in the caller's transaction; throws LeaseLost when the run is no longer this worker's. */
  save(phase: string, progress?: Progress): void;
  /** The API calls made since the last save (and resets the count). */
  takeApiCalls(): number;
}

/** Reads the run and its account; null when the account was deleted. */
export function openRun(runId: number, options: EngineOptions): RunContext | null {
  const { sqlite, client } = options;
  const now = options.now ?? Date.now;
  const run = sqlite
    .prepare("SELECT id, account_id, kind, checkpoint, listed, lease_owner FROM sync_runs WHERE id = ?")
    .get(runId) as RunRow | undefined;
  if (!run) throw new Error(`sync run ${runId} does not exist`);
  const accountRow = sqlite
    .prepare(
      "SELECT id, slot, bound_to_open_platform AS bound, (SELECT last_sync_at FROM account_counts WHERE account_id = accounts.id) AS synced FROM accounts WHERE id = ?",
    )
    .get(run.account_id) as { id: string; slot: number; bound: number; synced: number | null } | undefined;
  if (!accountRow) return null;
  const account: AccountRef = { id: accountRow.id, slot: accountRow.slot, bound: Boolean(accountRow.bound) };

  const budgetUsed = sqlite
    .prepare(
      "SELECT coalesce(sum(u.calls), 0) FROM api_usage u JOIN accounts a ON a.appid = u.appid WHERE a.id = ? AND u.day = ?",
    )
    .pluck();
  const saveProgress = sqlite.prepare(
    `UPDATE sync_runs SET checkpoint = @checkpoint, phase = @phase, listed = @listed, reported_total = coalesce(@total, reported_total),
       to_fetch = coalesce(@toFetch, to_fetch), fetched = fetched + @fetched, new_followers = new_followers + @newFollowers,
       returned = returned + @returned, updated = updated + @updated, unfollowed = unfollowed + @unfollowed,
       rejected = rejected + @rejected, api_calls = api_calls + @apiCalls
     WHERE id = @id AND (@owner IS NULL OR (lease_owner = @owner AND status = 'running'))`,
  );
  const insertChange = sqlite.prepare(
    "INSERT INTO sync_changes (run_id, account_id, openid, change, person_id) VALUES (?, ?, ?, ?, ?)",
  );
  const owner = options.owner ?? run.lease_owner;

  const context: RunContext = {
    runId,
    run,
    sqlite,
    client,
    account,
    checkpoint: run.checkpoint
      ? (JSON.parse(run.checkpoint) as Checkpoint)
      : { cursor: "", listingDone: false, lastSeq: 0 },
    listed: run.listed,
    now,
    shouldContinue: options.shouldContinue ?? (() => true),
    options,
    // An account's first import would list every follower as "followed": its changes are counts only.
    onChange:
      accountRow.synced !== null
        ? (openid, change, personId) => insertChange.run(runId, account.id, openid, change, personId)
        : undefined,
    checkBudget() {
      const budget = options.dailyCallBudget;
      if (!budget) return;
      const used = budgetUsed.get(run.account_id, beijingDay(now())) as number;
      if (used >= budget) {
        throw new WeChatError({
          errcode: TRANSPORT_ERRCODE.budget,
          errmsg: `${used}/${budget}`,
          path: "budget",
        });
      }
    },
    takeApiCalls() {
      const n = options.calls.count;
      options.calls.count = 0;
      return n;
    },
    save(phase, extra = {}) {
      // A batch got through: whatever WeChat trouble the run was riding out is over.
      delete context.checkpoint.trouble;
      const values = {
        id: runId,
        checkpoint: JSON.stringify(context.checkpoint),
        phase,
        listed: context.listed,
        total: extra.total ?? null,
        toFetch: extra.toFetch ?? null,
        fetched: extra.fetched ?? 0,
        newFollowers: extra.newFollowers ?? 0,
        returned: extra.returned ?? 0,
        updated: extra.updated ?? 0,
        unfollowed: extra.unfollowed ?? 0,
        rejected: extra.rejected ?? 0,
        apiCalls: context.takeApiCalls(),
        owner,
      };
      if (saveProgress.run(values).changes !== 1) throw new LeaseLost(runId);
    },
  };
  return context;
}

/** Counts a batch starts from. */
export const noCounts = (): BatchCounts => ({ newFollowers: 0, returned: 0, updated: 0, unfollowed: 0 });
