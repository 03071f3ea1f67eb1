import type Database from "better-sqlite3";
import { TRANSPORT_ERRCODE, WeChatError } from "@/lib/wechat/errors";
import type { WeChatClient } from "@/lib/wechat/client";
import type { UserInfo } from "@/lib/wechat/schemas";
import { DECIDING_FOLLOW_EVENT } from "@/lib/followers/follow-events";
import { FollowerWriter, type AccountRef, type BatchCounts, type ChangeKind } from "@/lib/followers/writer";
import { snapshotWriter } from "@/lib/followers/snapshots";
import { beijingDay, nextBeijingMidnight } from "@/lib/time/beijing";

/**
 * Profiles fetched and committed per transaction. Each commit rewrites every index page it touched,
 * and the random-key indexes (followers by openid, people by unionid and by follow dates) are touched
 * nearly everywhere by any large batch: at 300,000 followers 5,000 per commit wrote 3.0 GB to the WAL,
 * 20,000 wrote 1.1 GB (bench/sync/writes.ts). 20,000 profiles are ~200 calls and a few MB of memory.
 */
const PROFILE_CHUNK = 20_000;
const VANISH_CHUNK = 1000;

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
 * Runs (or resumes) one sync run to its end. Work happens in three phases, each batch in one
 * transaction together with the checkpoint and counters, so a killed process resumes exactly where
 * the last commit left off:
 *   listing    – page through user/get, staging every openid in sync_listed;
 *   profiles   – batchget the staged openids that need it, write followers, people and counts;
 *   finalising – followers subscribed before but not listed now are marked unfollowed; snapshot.
 */
export async function runSync(runId: number, options: EngineOptions): Promise<RunOutcome> {
  const { sqlite, client } = options;
  const now = options.now ?? Date.now;
  const shouldContinue = options.shouldContinue ?? (() => true);
  const run = sqlite
    .prepare("SELECT id, account_id, kind, checkpoint, listed, lease_owner FROM sync_runs WHERE id = ?")
    .get(runId) as RunRow | undefined;
  if (!run) throw new Error(`sync run ${runId} does not exist`);
  const budgetUsed = sqlite
    .prepare(
      "SELECT coalesce(sum(u.calls), 0) FROM api_usage u JOIN accounts a ON a.appid = u.appid WHERE a.id = ? AND u.day = ?",
    )
    .pluck();
  const checkBudget = () => {
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
  };
  const accountRow = sqlite
    .prepare(
      "SELECT id, slot, bound_to_open_platform AS bound, (SELECT last_sync_at FROM account_counts WHERE account_id = accounts.id) AS synced FROM accounts WHERE id = ?",
    )
    .get(run.account_id) as { id: string; slot: number; bound: number; synced: number | null } | undefined;
  if (!accountRow) return { status: "failed", error: new Error("The account of this run was deleted.") };
  const account: AccountRef = { id: accountRow.id, slot: accountRow.slot, bound: Boolean(accountRow.bound) };
  // An account's first import would list every follower as "followed": its changes are counts only.
  const recordChanges = accountRow.synced !== null;

  const checkpoint: Checkpoint = run.checkpoint
    ? (JSON.parse(run.checkpoint) as Checkpoint)
    : { cursor: "", listingDone: false, lastSeq: 0 };
  let listed = run.listed;

  const saveProgress = sqlite.prepare(
    `UPDATE sync_runs SET checkpoint = @checkpoint, phase = @phase, listed = @listed, reported_total = coalesce(@total, reported_total),
       to_fetch = coalesce(@toFetch, to_fetch), fetched = fetched + @fetched, new_followers = new_followers + @newFollowers,
       returned = returned + @returned, updated = updated + @updated, unfollowed = unfollowed + @unfollowed,
       rejected = rejected + @rejected, api_calls = api_calls + @apiCalls
     WHERE id = @id AND (@owner IS NULL OR (lease_owner = @owner AND status = 'running'))`,
  );
  const owner = options.owner ?? run.lease_owner;
  /** Saves the batch's progress, or rolls the batch back when the run is no longer this worker's. */
  const save = (values: ReturnType<typeof progress>) => {
    if (saveProgress.run({ ...values, owner }).changes !== 1) throw new LeaseLost(runId);
  };
  const insertChange = sqlite.prepare(
    "INSERT INTO sync_changes (run_id, account_id, openid, change, person_id) VALUES (?, ?, ?, ?, ?)",
  );
  const onChange = recordChanges
    ? (openid: string, change: ChangeKind, personId: number | null) =>
        insertChange.run(runId, account.id, openid, change, personId)
    : undefined;
  const takeApiCalls = () => {
    const n = options.calls.count;
    options.calls.count = 0;
    return n;
  };

  type Extra = Partial<BatchCounts> & {
    total?: number;
    toFetch?: number;
    fetched?: number;
    rejected?: number;
  };
  const progress = (phase: string, extra: Extra = {}) => ({
    id: runId,
    checkpoint: JSON.stringify(checkpoint),
    phase,
    listed,
    total: extra.total ?? null,
    toFetch: extra.toFetch ?? null,
    fetched: extra.fetched ?? 0,
    newFollowers: extra.newFollowers ?? 0,
    returned: extra.returned ?? 0,
    updated: extra.updated ?? 0,
    unfollowed: extra.unfollowed ?? 0,
    rejected: extra.rejected ?? 0,
    apiCalls: takeApiCalls(),
  });

  try {
    // ---- listing ------------------------------------------------------------------------------
    // A page is staged by one statement (seq numbers continue from the staged count).
    const stage = sqlite.prepare(
      "INSERT OR IGNORE INTO sync_listed (run_id, seq, openid) SELECT ?, ? + key + 1, value FROM json_each(?)",
    );
    while (!checkpoint.listingDone) {
      if (!shouldContinue()) return { status: "stopped" };
      checkBudget();
      const page = await client.followers(checkpoint.cursor);
      const openids = page.data?.openid ?? [];
      sqlite
        .transaction(() => {
          if (openids.length > 0) stage.run(runId, listed, JSON.stringify(openids));
          listed += openids.length;
          checkpoint.cursor = page.next_openid;
          checkpoint.listingDone = openids.length === 0 || !page.next_openid || page.count < 10_000;
          save(progress("listing", { total: page.total }));
        })
        .immediate();
    }

    // ---- profiles -----------------------------------------------------------------------------
    const staleBefore = now() - (options.refreshDays ?? 7) * 86_400_000;
    const needsProfile =
      run.kind === "full"
        ? "1"
        : // A bound account's follower without a unionid is asked again, but at most once a day: WeChat
          // rarely changes its answer, and asking every run would cost 5% of a full sync each time.
          `(f.openid IS NULL OR f.subscribed = 0 OR f.profile_fetched_at IS NULL OR f.profile_fetched_at < @staleBefore
            OR (@bound = 1 AND f.unionid IS NULL AND f.profile_fetched_at < @noUnionidBefore))`;
    const pending = sqlite.prepare(
      `SELECT l.seq, l.openid FROM sync_listed l
         LEFT JOIN followers f ON f.account_id = @account AND f.openid = l.openid
        WHERE l.run_id = @run AND l.seq > @after AND ${needsProfile}
        ORDER BY l.seq LIMIT @limit`,
    );
    const countPending = sqlite
      .prepare(
        `SELECT COUNT(*) FROM sync_listed l LEFT JOIN followers f ON f.account_id = @account AND f.openid = l.openid
          WHERE l.run_id = @run AND l.seq > @after AND ${needsProfile}`,
      )
      .pluck();
    // better-sqlite3 refuses named parameters the statement doesn't use.
    const params =
      run.kind === "full"
        ? { account: account.id, run: runId }
        : {
            account: account.id,
            run: runId,
            bound: account.bound ? 1 : 0,
            staleBefore,
            noUnionidBefore: now() - 86_400_000,
          };
    const remaining = countPending.get({ ...params, after: checkpoint.lastSeq }) as number;
    sqlite
      .prepare("UPDATE sync_runs SET phase = 'profiles', to_fetch = fetched + ? WHERE id = ?")
      .run(remaining, runId);

    const writer = new FollowerWriter(sqlite, account, now, onChange);
    // A follow or unfollow pushed after a batch's fetch began (applied, or a noop that confirms the row)
    // is newer than its profile, which may predate it: that follower keeps what the push said.
    const pushedSince = sqlite
      .prepare(
        `SELECT from_user FROM push_events WHERE account_id = ? AND received_at >= ? AND ${DECIDING_FOLLOW_EVENT}`,
      )
      .pluck();
    const withoutLaterPushes = (users: UserInfo[], startedAt: number) => {
      const pushed = new Set(pushedSince.all(account.id, startedAt) as string[]);
      return pushed.size ? users.filter((u) => !pushed.has(u.openid)) : users;
    };
    const limit = options.profileChunk ?? PROFILE_CHUNK;
    const nextChunk = (after: number) =>
      pending.all({ ...params, after, limit }) as { seq: number; openid: string }[];
    // The next batch is fetched while the current one is written: its first requests are in flight
    // (and answered) during the write instead of after it.
    let inFlight: Promise<unknown> | null = null;
    const fetchChunk = (chunk: { openid: string }[]) => {
      const startedAt = now();
      let fetching: Promise<{ users: UserInfo[]; rejected: string[]; startedAt: number }>;
      try {
        checkBudget();
        fetching = client.batchGet(chunk.map((c) => c.openid)).then((answer) => ({ ...answer, startedAt }));
      } catch (error) {
        // A spent budget stops the run where the next batch is awaited: after the one in hand is written.
        fetching = Promise.reject(error as Error);
      }
      inFlight = fetching.catch(() => undefined); // settled before the run returns, whatever happens
      return fetching;
    };
    try {
      let chunk = nextChunk(checkpoint.lastSeq);
      let fetching = chunk.length > 0 && shouldContinue() ? fetchChunk(chunk) : null;
      while (chunk.length > 0) {
        if (!fetching || !shouldContinue()) return { status: "stopped" };
        const { users, rejected, startedAt } = await fetching;
        const current = chunk;
        chunk = nextChunk(current[current.length - 1]!.seq);
        fetching = chunk.length > 0 && shouldContinue() ? fetchChunk(chunk) : null;
        sqlite
          .transaction(() => {
            const counts: BatchCounts = { newFollowers: 0, returned: 0, updated: 0, unfollowed: 0 };
            writer.applyProfiles(withoutLaterPushes(users, startedAt), counts);
            for (const openid of rejected) onChange?.(openid, "rejected", null);
            writer.flush();
            checkpoint.lastSeq = current[current.length - 1]!.seq;
            save(progress("profiles", { ...counts, fetched: current.length, rejected: rejected.length }));
          })
          .immediate();
      }
    } finally {
      await inFlight;
    }

    // ---- finalising ---------------------------------------------------------------------------
    // One anti-join: SQLite builds a temporary index of the run's listed openids for the NOT IN once,
    // instead of the staging table keeping a permanent one up to date on every listing commit.
    // A follow pushed by WeChat after the listing began is not missing from it: it came later. That
    // holds for a subscribe that changed nothing too (our row said subscribed after a missed unsubscribe).
    const pushedFollow = (openid: string) =>
      `EXISTS (SELECT 1 FROM push_events e WHERE e.account_id = @account AND e.from_user = ${openid}
                 AND ${DECIDING_FOLLOW_EVENT} AND e.event = 'subscribe'
                 AND e.received_at >= (SELECT coalesce(started_at, created_at) FROM sync_runs WHERE id = @run))`;
    const vanished = sqlite
      .prepare(
        `SELECT f.openid FROM followers f WHERE f.account_id = @account AND f.subscribed = 1
          AND f.openid NOT IN (SELECT l.openid FROM sync_listed l WHERE l.run_id = @run)
          AND NOT ${pushedFollow("f.openid")}`,
      )
      .pluck()
      .all({ account: account.id, run: runId }) as string[];
    // Asked again in each batch's transaction: the web server may have applied such a push since.
    const notPushedSince = sqlite
      .prepare(`SELECT value FROM json_each(@openids) WHERE NOT ${pushedFollow("value")}`)
      .pluck();
    for (let i = 0; i < vanished.length; i += VANISH_CHUNK) {
      if (!shouldContinue()) return { status: "stopped" };
      const openids = JSON.stringify(vanished.slice(i, i + VANISH_CHUNK));
      sqlite
        .transaction(() => {
          const counts: BatchCounts = { newFollowers: 0, returned: 0, updated: 0, unfollowed: 0 };
          const gone = notPushedSince.all({ openids, account: account.id, run: runId }) as string[];
          writer.markUnfollowed(gone, counts);
          writer.flush();
          save(progress("finalising", counts));
        })
        .immediate();
    }
    if (vanished.length === 0)
      sqlite.prepare("UPDATE sync_runs SET phase = 'finalising' WHERE id = ?").run(runId);

    const tags = await accountTags(client);
    sqlite
      .transaction(() => {
        const at = now();
        if (tags) replaceAccountTags(sqlite, account.id, tags);
        const total =
          (sqlite.prepare("SELECT reported_total FROM sync_runs WHERE id = ?").pluck().get(runId) as
            number | null) ?? null;
        sqlite
          .prepare(
            `INSERT INTO account_counts (account_id, reported_total, last_sync_at) VALUES (?, ?, ?)
           ON CONFLICT (account_id) DO UPDATE SET reported_total = excluded.reported_total, last_sync_at = excluded.last_sync_at`,
          )
          .run(account.id, total, at);
        snapshotWriter(sqlite)(beijingDay(at), at);
        sqlite.prepare("DELETE FROM sync_listed WHERE run_id = ?").run(runId);
        save(progress("finalising"));
        sqlite
          .prepare(
            "UPDATE sync_runs SET status = 'done', finished_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ?",
          )
          .run(at, runId);
      })
      .immediate();
    return { status: "done" };
  } catch (error) {
    if (error instanceof LeaseLost) return { status: "stopped" };
    sqlite.prepare("UPDATE sync_runs SET api_calls = api_calls + ? WHERE id = ?").run(takeApiCalls(), runId);
    if (error instanceof WeChatError && error.category === "quota-exhausted") {
      return { status: "paused", until: nextBeijingMidnight(now()), error };
    }
    return { status: "failed", error };
  }
}

/** The run was taken over by another worker (or finished) while this one was waiting. */
class LeaseLost extends Error {
  constructor(runId: number) {
    super(`sync run ${runId} is no longer held by this worker`);
  }
}

/**
 * The account's tag names, for the people pages. A sync does not fail over them: only a spent quota
 * stops the run (it pauses); any other refusal keeps the names from the last sync.
 */
async function accountTags(client: WeChatClient) {
  try {
    return await client.tags();
  } catch (error) {
    if (error instanceof WeChatError && error.category === "quota-exhausted") throw error;
    return null;
  }
}

function replaceAccountTags(
  sqlite: Database.Database,
  accountId: string,
  tags: { id: number; name: string; count: number }[],
): void {
  sqlite.prepare("DELETE FROM account_tags WHERE account_id = ?").run(accountId);
  const insert = sqlite.prepare(
    "INSERT INTO account_tags (account_id, tag_id, name, count) VALUES (?, ?, ?, ?)",
  );
  for (const tag of tags) insert.run(accountId, tag.id, tag.name, tag.count);
}
