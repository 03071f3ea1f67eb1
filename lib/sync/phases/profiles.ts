import { DECIDING_FOLLOW_EVENT } from "@/lib/followers/follow-events";
import type { FollowerWriter } from "@/lib/followers/writer";
import type { UserInfo } from "@/lib/wechat/schemas";
import { noCounts, type RunContext } from "../run-context";

/**
 * Profiles fetched and committed per transaction. Each commit rewrites every index page it touched,
 * and the random-key indexes (followers by openid, people by unionid and by follow dates) are touched
 * nearly everywhere by any large batch: at 300,000 followers 5,000 per commit wrote 3.0 GB to the WAL,
 * 20,000 wrote 1.1 GB (bench/sync/writes.ts). 20,000 profiles are ~200 calls and a few MB of memory.
 */
const PROFILE_CHUNK = 20_000;

/**
 * Profiles: batchget the staged openids that need one (full: all; incremental: new, returning, no
 * unionid yet in a bound account, or older than `refreshDays`) and write them through the writer, each
 * batch in one transaction with the checkpoint. The next batch is fetched while the current one is
 * written. Returns false when the run was stopped.
 */
export async function fetchProfiles(run: RunContext, writer: FollowerWriter): Promise<boolean> {
  const { sqlite, account, checkpoint, runId, now } = run;
  const staleBefore = now() - (run.options.refreshDays ?? 7) * 86_400_000;
  const needsProfile =
    run.run.kind === "full"
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
    run.run.kind === "full"
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
  const limit = run.options.profileChunk ?? PROFILE_CHUNK;
  const nextChunk = (after: number) =>
    pending.all({ ...params, after, limit }) as { seq: number; openid: string }[];
  // The next batch is fetched while the current one is written: its first requests are in flight
  // (and answered) during the write instead of after it.
  let inFlight: Promise<unknown> | null = null;
  const fetchChunk = (chunk: { openid: string }[]) => {
    const startedAt = now();
    let fetching: Promise<{ users: UserInfo[]; rejected: string[]; startedAt: number }>;
    try {
      run.checkBudget();
      fetching = run.client.batchGet(chunk.map((c) => c.openid)).then((answer) => ({ ...answer, startedAt }));
    } catch (error) {
      // A spent budget stops the run where the next batch is awaited: after the one in hand is written.
      fetching = Promise.reject(error as Error);
    }
    inFlight = fetching.catch(() => undefined); // settled before the run returns, whatever happens
    return fetching;
  };
  try {
    let chunk = nextChunk(checkpoint.lastSeq);
    let fetching = chunk.length > 0 && run.shouldContinue() ? fetchChunk(chunk) : null;
    while (chunk.length > 0) {
      if (!fetching || !run.shouldContinue()) return false;
      const { users, rejected, startedAt } = await fetching;
      const current = chunk;
      chunk = nextChunk(current[current.length - 1]!.seq);
      fetching = chunk.length > 0 && run.shouldContinue() ? fetchChunk(chunk) : null;
      sqlite
        .transaction(() => {
          const counts = noCounts();
          writer.applyProfiles(withoutLaterPushes(users, startedAt), counts);
          for (const openid of rejected) run.onChange?.(openid, "rejected", null);
          writer.flush();
          checkpoint.lastSeq = current[current.length - 1]!.seq;
          run.save("profiles", { ...counts, fetched: current.length, rejected: rejected.length });
        })
        .immediate();
    }
  } finally {
    await inFlight;
  }
  return true;
}
