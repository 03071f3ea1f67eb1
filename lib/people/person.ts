import type Database from "better-sqlite3";
import { followsOf, type FollowDetail } from "./rows";

export interface PersonFollow extends FollowDetail {
  qrScene: number | null;
  qrSceneStr: string | null;
  language: string | null;
  firstSeenAt: number;
  profileFetchedAt: number | null;
}

export type TimelineEntry =
  | {
      at: number;
      kind: "followed" | "left";
      appid: string;
      accountName: string;
      source: "wechat" | "detected";
    }
  | {
      at: number;
      kind: "sync";
      change: "followed" | "returned" | "unfollowed" | "rejected";
      appid: string;
      accountName: string;
      runId: number;
    }
  | {
      at: number;
      kind: "push";
      /** subscribe, unsubscribe, SCAN, message (an ordinary message) or another event. */
      event: PushTimelineEvent;
      /** Arrived after a later follow/unfollow event of the same openid, so it changed nothing. */
      stale: boolean;
      appid: string;
      accountName: string;
    }
  | {
      at: number;
      kind: "remark";
      appid: string;
      accountName: string;
      by: string | null;
      remark: string | null;
    };

export interface PersonDetail {
  id: number;
  unionid: string | null;
  accountsCount: number;
  firstFollowAt: number | null;
  lastFollowAt: number | null;
  follows: PersonFollow[];
  timeline: TimelineEntry[];
}

const TIMELINE_LIMIT = 200;

export type PushTimelineEvent = "subscribe" | "unsubscribe" | "SCAN" | "message" | "other";

function pushTimelineEvent(event: string, outcome: string): PushTimelineEvent {
  if (event === "subscribe" || event === "unsubscribe" || event === "SCAN") return event;
  return outcome === "message" ? "message" : "other";
}

/** Everything the person page shows, or null for an unknown id. */
export function personDetail(sqlite: Database.Database, personId: number): PersonDetail | null {
  const person = sqlite
    .prepare(
      `SELECT id, unionid, accounts_count AS accountsCount, first_follow_at AS firstFollowAt, last_follow_at AS lastFollowAt
         FROM people WHERE id = ?`,
    )
    .get(personId) as Omit<PersonDetail, "follows" | "timeline"> | undefined;
  if (!person) return null;
  const extra = new Map(
    (
      sqlite
        .prepare(
          `SELECT account_id AS accountId, openid, qr_scene AS qrScene, qr_scene_str AS qrSceneStr, language,
                  first_seen_at AS firstSeenAt, profile_fetched_at AS profileFetchedAt
             FROM followers WHERE person_id = ?`,
        )
        .all(personId) as ({ accountId: string; openid: string } & Omit<PersonFollow, keyof FollowDetail>)[]
    ).map((r) => [`${r.accountId}:${r.openid}`, r]),
  );
  const follows: PersonFollow[] = (followsOf(sqlite, [personId]).get(personId) ?? []).map((f) => {
    const { accountId: _a, openid: _o, ...more } = extra.get(`${f.accountId}:${f.openid}`)!;
    return { ...f, ...more };
  });
  return { ...person, follows, timeline: timelineOf(sqlite, personId, follows) };
}

/** A pushed subscribe is received within WeChat's windows of its CreateTime (see lib/push/receive.ts). */
const PUSH_DELAY_MS = 10 * 60 * 1000;

function timelineOf(sqlite: Database.Database, personId: number, follows: PersonFollow[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const changes = sqlite
    .prepare(
      `SELECT c.change, c.run_id AS runId, a.appid, a.name AS accountName,
              coalesce(r.finished_at, r.started_at, r.created_at) AS at,
              coalesce(r.started_at, r.created_at) AS runStartedAt, r.finished_at AS runFinishedAt
         FROM sync_changes c JOIN sync_runs r ON r.id = c.run_id JOIN accounts a ON a.id = c.account_id
        WHERE c.person_id = ? ORDER BY c.id DESC LIMIT ?`,
    )
    .all(personId, TIMELINE_LIMIT) as (Omit<Extract<TimelineEntry, { kind: "sync" }>, "kind"> & {
    runStartedAt: number;
    runFinishedAt: number | null;
  })[];
  for (const { runStartedAt: _started, runFinishedAt: _finished, ...c } of changes)
    entries.push({ kind: "sync", ...c });
  const pushed = sqlite
    .prepare(
      `SELECT e.received_at AS at, e.event, e.outcome, a.appid, a.name AS accountName
         FROM followers f JOIN push_events e ON e.account_id = f.account_id AND e.from_user = f.openid
         JOIN accounts a ON a.id = f.account_id
        WHERE f.person_id = ? ORDER BY e.received_at DESC LIMIT ?`,
    )
    .all(personId, TIMELINE_LIMIT) as {
    at: number;
    event: string;
    outcome: string;
    appid: string;
    accountName: string;
  }[];
  for (const { event, outcome, ...p } of pushed)
    entries.push({
      kind: "push",
      event: pushTimelineEvent(event, outcome),
      stale: outcome === "stale",
      ...p,
    });

  // The follower row's own times, unless a push or a sync entry above already tells that change: a
  // pushed unsubscribe sets unsubscribed_at to its arrival, a sync's finalising to a time inside the run.
  const pushedAt = (appid: string, event: PushTimelineEvent, at: number, slackMs: number) =>
    pushed.some(
      (p) =>
        p.appid === appid &&
        p.outcome !== "stale" &&
        pushTimelineEvent(p.event, p.outcome) === event &&
        Math.abs(p.at - at) <= slackMs,
    );
  const unfollowedBySync = (appid: string, at: number) =>
    changes.some(
      (c) =>
        c.appid === appid &&
        c.change === "unfollowed" &&
        c.runStartedAt <= at &&
        at <= (c.runFinishedAt ?? Infinity),
    );
  for (const f of follows) {
    const account = { appid: f.appid, accountName: f.accountName };
    const followedAt = f.subscribeTime ? f.subscribeTime * 1000 : null;
    if (followedAt && !pushedAt(f.appid, "subscribe", followedAt, PUSH_DELAY_MS))
      entries.push({ at: followedAt, kind: "followed", source: "wechat", ...account });
    const leftAt = f.unsubscribedAt;
    if (leftAt && !pushedAt(f.appid, "unsubscribe", leftAt, 0) && !unfollowedBySync(f.appid, leftAt))
      entries.push({ at: leftAt, kind: "left", source: "detected", ...account });
  }
  const remarks = sqlite
    .prepare(
      `SELECT at, actor_email AS by, details FROM audit_log
        WHERE action = 'people.remark_updated' AND target_type = 'person' AND target_id = ? ORDER BY id DESC LIMIT ?`,
    )
    .all(String(personId), TIMELINE_LIMIT) as { at: number; by: string | null; details: string | null }[];
  for (const r of remarks) {
    const d = JSON.parse(r.details ?? "{}") as {
      appid?: string;
      accountName?: string;
      remark?: string | null;
    };
    entries.push({
      at: r.at,
      kind: "remark",
      appid: d.appid ?? "",
      accountName: d.accountName ?? "",
      by: r.by,
      remark: d.remark ?? null,
    });
  }
  return entries.sort((x, y) => y.at - x.at).slice(0, TIMELINE_LIMIT);
}
