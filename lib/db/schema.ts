import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(unixepoch('subsec') * 1000)`;
const timestamp = (name: string) => integer(name, { mode: "timestamp_ms" });

export const staffUsers = sqliteTable("staff_users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: text("role", { enum: ["admin", "marketer", "support"] }).notNull(),
  passwordHash: text("password_hash").notNull(),
  /** Bumped on disable, role change and password reset: tokens carrying an older value stop working. */
  sessionVersion: integer("session_version").notNull().default(0),
  disabledAt: timestamp("disabled_at"),
  lastSignInAt: timestamp("last_sign_in_at"),
  createdAt: timestamp("created_at").notNull().default(now),
  updatedAt: timestamp("updated_at").notNull().default(now),
});

export const loginThrottle = sqliteTable("login_throttle", {
  email: text("email").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lastFailedAt: timestamp("last_failed_at").notNull(),
  lockedUntil: timestamp("locked_until"),
});

export const accounts = sqliteTable("accounts", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  appid: text("appid").notNull().unique(),
  originalId: text("original_id").notNull(),
  boundToOpenPlatform: integer("bound_to_open_platform", { mode: "boolean" }).notNull().default(true),
  /** 0..30: this account's bit in people.accounts_mask (so overlaps are bit operations). */
  slot: integer("slot").notNull().unique(),
  /** Sync schedule: off, hourly, or daily at scheduleTime (HH:MM, Beijing time). */
  schedule: text("schedule", { enum: ["off", "hourly", "daily"] })
    .notNull()
    .default("off"),
  scheduleTime: text("schedule_time").notNull().default("03:00"),
  appsecretSealed: text("appsecret_sealed").notNull(),
  pushTokenSealed: text("push_token_sealed"),
  aesKeySealed: text("aes_key_sealed"),
  secretsUpdatedAt: timestamp("secrets_updated_at").notNull().default(now),
  disabledAt: timestamp("disabled_at"),
  /** Health, written by lib/wechat after each call: never holds a token or secret. */
  lastOkAt: timestamp("last_ok_at"),
  lastErrorAt: timestamp("last_error_at"),
  lastErrorCategory: text("last_error_category"),
  lastErrorCode: integer("last_error_code"),
  lastErrorPath: text("last_error_path"),
  /** WeChat's errmsg without the rid suffix; explained per locale by lib/wechat/errors.ts. */
  lastErrorMessage: text("last_error_message"),
  createdAt: timestamp("created_at").notNull().default(now),
  updatedAt: timestamp("updated_at").notNull().default(now),
});

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: timestamp("at").notNull().default(now),
    actorId: integer("actor_id"),
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    targetLabel: text("target_label"),
    /** JSON object; never holds a secret (see lib/audit). */
    details: text("details"),
    ip: text("ip"),
  },
  (t) => [index("audit_log_action_id").on(t.action, t.id)],
);

/** One access token per appid, shared by every process (web app, worker, CLI); renewed under a lease. */
export const accessTokens = sqliteTable("access_tokens", {
  appid: text("appid").primaryKey(),
  tokenSealed: text("token_sealed"),
  expiresAt: timestamp("expires_at"),
  fetchedAt: timestamp("fetched_at"),
  leaseOwner: text("lease_owner"),
  leaseUntil: timestamp("lease_until"),
});

/** Local count of calls per account, Beijing day and API path (the daily quotas reset at 00:00 UTC+8). */
export const apiUsage = sqliteTable(
  "api_usage",
  {
    appid: text("appid").notNull(),
    day: text("day").notNull(),
    path: text("path").notNull(),
    calls: integer("calls").notNull().default(0),
    errors: integer("errors").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.appid, t.day, t.path] })],
);

/** What WeChat's quota/get last said, to reconcile the local ledger with. */
export const apiQuota = sqliteTable(
  "api_quota",
  {
    appid: text("appid").notNull(),
    path: text("path").notNull(),
    dailyLimit: integer("daily_limit").notNull(),
    used: integer("used").notNull(),
    remain: integer("remain").notNull(),
    checkedAt: timestamp("checked_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.appid, t.path] })],
);

/** One row per (account, openid) ever seen; never deleted, so history survives unfollows. */
export const followers = sqliteTable(
  "followers",
  {
    accountId: text("account_id").notNull(),
    openid: text("openid").notNull(),
    personId: integer("person_id").notNull(),
    unionid: text("unionid"),
    subscribed: integer("subscribed", { mode: "boolean" }).notNull(),
    subscribeTime: integer("subscribe_time"),
    subscribeScene: text("subscribe_scene"),
    qrScene: integer("qr_scene"),
    qrSceneStr: text("qr_scene_str"),
    remark: text("remark"),
    tagIds: text("tag_ids"),
    language: text("language"),
    firstSeenAt: timestamp("first_seen_at").notNull(),
    unsubscribedAt: timestamp("unsubscribed_at"),
    profileFetchedAt: timestamp("profile_fetched_at"),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.openid] }),
    index("followers_person").on(t.personId),
    index("followers_account_subscribed").on(t.accountId, t.subscribed),
    // Current follows still waiting for their profile (a pushed follow before its fetch): the overview
    // counts them apart from those WeChat gave no unionid; the set is small, so is the index.
    index("followers_profile_pending")
      .on(t.accountId)
      .where(sql`${t.profileFetchedAt} IS NULL AND ${t.subscribed} = 1 AND ${t.unionid} IS NULL`),
    // NOCASE: the search box matches a remark prefix regardless of (ASCII) case, still as an index range.
    index("followers_remark_nocase").on(sql`${t.remark} COLLATE NOCASE`),
  ],
);

/**
 * A person: every follower with the same unionid, or a single follower without one. accounts_mask has
 * the bit of each account the person currently follows.
 */
export const people = sqliteTable(
  "people",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    unionid: text("unionid").unique(),
    accountsMask: integer("accounts_mask").notNull().default(0),
    /** Number of bits set in accounts_mask, kept with it so "follows ≥ k accounts" can sort and filter. */
    accountsCount: integer("accounts_count").notNull().default(0),
    /** Bit i set when one of the person's follower rows has subscribe_scene SCENES[i] (lib/people/scenes.ts). */
    sceneMask: integer("scene_mask").notNull().default(0),
    /** Earliest and latest subscribe_time (seconds) of the person's followers; 0 until one is known. */
    firstFollowAt: integer("first_follow_at"),
    lastFollowAt: integer("last_follow_at"),
  },
  (t) => [
    index("people_mask").on(t.accountsMask),
    // One per sort order of the people list. The masks ride along so a filter on accounts or scene is
    // checked in the index while walking it, without reading each person's row.
    index("people_first").on(t.firstFollowAt, t.id, t.accountsMask, t.sceneMask),
    index("people_last").on(t.lastFollowAt, t.id, t.accountsMask, t.sceneMask),
    index("people_count").on(t.accountsCount, t.id, t.accountsMask, t.sceneMask),
    // The same orders for the few people without a unionid (the "no UnionID" filter).
    index("people_nounionid_first")
      .on(t.firstFollowAt, t.id)
      .where(sql`${t.unionid} IS NULL`),
    index("people_nounionid_last")
      .on(t.lastFollowAt, t.id)
      .where(sql`${t.unionid} IS NULL`),
    index("people_nounionid_count")
      .on(t.accountsCount, t.id)
      .where(sql`${t.unionid} IS NULL`),
  ],
);

/**
 * How many people have each exact set of current accounts (mask 0: follows none any more), split by
 * whether they have a unionid. Every count of people by accounts followed is a sum over these rows.
 */
export const maskCounts = sqliteTable(
  "mask_counts",
  {
    mask: integer("mask").notNull(),
    noUnionid: integer("no_unionid").notNull(),
    people: integer("people").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.mask, t.noUnionid] })],
);

/** Like mask_counts, per subscribe scene: people with this mask who have a follow from `scene` (bit index). */
export const sceneCounts = sqliteTable(
  "scene_counts",
  {
    mask: integer("mask").notNull(),
    noUnionid: integer("no_unionid").notNull(),
    scene: integer("scene").notNull(),
    people: integer("people").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.mask, t.noUnionid, t.scene] })],
);

/** An account's tags as tags/get last listed them (names for display and search). */
export const accountTags = sqliteTable(
  "account_tags",
  {
    accountId: text("account_id").notNull(),
    tagId: integer("tag_id").notNull(),
    name: text("name").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.tagId] })],
);

/** One row per tag on a follower, so "people with tag X" is an index range, not a scan of tag_ids. */
export const followerTags = sqliteTable(
  "follower_tags",
  {
    accountId: text("account_id").notNull(),
    tagId: integer("tag_id").notNull(),
    openid: text("openid").notNull(),
    personId: integer("person_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.tagId, t.openid] }),
    index("follower_tags_person").on(t.accountId, t.tagId, t.personId),
  ],
);

/** Counts kept current by every change to followers, in the same transaction. */
export const accountCounts = sqliteTable("account_counts", {
  accountId: text("account_id").primaryKey(),
  followers: integer("followers").notNull().default(0),
  withoutUnionid: integer("without_unionid").notNull().default(0),
  reportedTotal: integer("reported_total"),
  lastSyncAt: timestamp("last_sync_at"),
});

/** People following both accounts of a pair of slots (a < b). */
export const pairOverlap = sqliteTable(
  "pair_overlap",
  {
    a: integer("a").notNull(),
    b: integer("b").notNull(),
    people: integer("people").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.a, t.b] })],
);

/** How many people follow exactly `accounts` accounts right now. */
export const accountsHistogram = sqliteTable("accounts_histogram", {
  accounts: integer("accounts").primaryKey(),
  people: integer("people").notNull().default(0),
});

export const syncRuns = sqliteTable(
  "sync_runs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: text("account_id").notNull(),
    kind: text("kind", { enum: ["full", "incremental"] }).notNull(),
    status: text("status", {
      enum: ["queued", "running", "paused", "done", "failed", "cancelled"],
    }).notNull(),
    phase: text("phase", { enum: ["listing", "profiles", "finalising"] })
      .notNull()
      .default("listing"),
    triggeredBy: text("triggered_by").notNull(),
    createdAt: timestamp("created_at").notNull().default(now),
    startedAt: timestamp("started_at"),
    finishedAt: timestamp("finished_at"),
    leaseOwner: text("lease_owner"),
    leaseUntil: timestamp("lease_until"),
    pausedUntil: timestamp("paused_until"),
    cancelRequested: integer("cancel_requested", { mode: "boolean" }).notNull().default(false),
    /** JSON: where to resume (listing cursor, last processed staging row). */
    checkpoint: text("checkpoint"),
    reportedTotal: integer("reported_total"),
    listed: integer("listed").notNull().default(0),
    toFetch: integer("to_fetch").notNull().default(0),
    fetched: integer("fetched").notNull().default(0),
    newFollowers: integer("new_followers").notNull().default(0),
    returned: integer("returned").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    unfollowed: integer("unfollowed").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    apiCalls: integer("api_calls").notNull().default(0),
    errorCategory: text("error_category"),
    errorCode: integer("error_code"),
    errorMessage: text("error_message"),
  },
  (t) => [index("sync_runs_account").on(t.accountId, t.id), index("sync_runs_status").on(t.status)],
);

/** The openids one run listed, so a resumed run knows what it saw and what it still has to fetch. */
export const syncListed = sqliteTable(
  "sync_listed",
  {
    runId: integer("run_id").notNull(),
    seq: integer("seq").notNull(),
    openid: text("openid").notNull(),
  },
  // No index on openid: a random-key index rewritten on every listing commit cost more than the one
  // anti-join at the end of the run that needs it (finalising builds its own, in memory).
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
);

/** What a run changed, per follower (not written for an account's first import). */
export const syncChanges = sqliteTable(
  "sync_changes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: integer("run_id").notNull(),
    accountId: text("account_id").notNull(),
    openid: text("openid").notNull(),
    change: text("change", { enum: ["followed", "returned", "unfollowed", "rejected"] }).notNull(),
    personId: integer("person_id"),
  },
  (t) => [index("sync_changes_run").on(t.runId, t.change), index("sync_changes_person").on(t.personId)],
);

/** The day's figures after each finished sync, for trends (one row per day and scope). */
export const snapshots = sqliteTable(
  "snapshots",
  {
    day: text("day").notNull(),
    scope: text("scope").notNull(),
    followers: integer("followers").notNull(),
    uniquePeople: integer("unique_people").notNull(),
    withoutUnionid: integer("without_unionid").notNull(),
    takenAt: timestamp("taken_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.scope] })],
);

/**
 * Every message WeChat pushed to an account's server URL. The unique key is WeChat's retry identity
 * (FromUserName + CreateTime + Event, or MsgType for ordinary messages): a retried delivery is ignored.
 */
export const pushEvents = sqliteTable(
  "push_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: text("account_id").notNull(),
    fromUser: text("from_user").notNull(),
    /** WeChat's CreateTime (unix seconds). */
    createTime: integer("create_time").notNull(),
    /** subscribe, unsubscribe, SCAN, another event name, or the MsgType of an ordinary message. */
    event: text("event").notNull(),
    eventKey: text("event_key"),
    /** What the event did: applied, stale (an older event arriving late), noop, or message. */
    outcome: text("outcome", { enum: ["applied", "stale", "noop", "message"] }).notNull(),
    mode: text("mode", { enum: ["plain", "compat", "safe"] }).notNull(),
    receivedAt: timestamp("received_at").notNull(),
  },
  (t) => [
    uniqueIndex("push_events_dedupe").on(t.accountId, t.fromUser, t.createTime, t.event),
    index("push_events_account_received").on(t.accountId, t.receivedAt),
  ],
);

/**
 * Failed sign-ins from one trusted browser (a device cookie issued after a successful sign-in,
 * lib/auth/device-cookie.ts): such a browser has its own lock, so strangers locking the email out
 * for unknown browsers do not lock out its owner.
 */
export const loginDeviceThrottle = sqliteTable("login_device_throttle", {
  device: text("device").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lastFailedAt: timestamp("last_failed_at").notNull(),
  lockedUntil: timestamp("locked_until"),
});

/** One row per sync worker (issue 20): written every few seconds while it runs, read by readiness and the System page. */
export const workerHeartbeats = sqliteTable("worker_heartbeats", {
  owner: text("owner").primaryKey(),
  host: text("host").notNull(),
  pid: integer("pid").notNull(),
  startedAt: timestamp("started_at").notNull(),
  beatAt: timestamp("beat_at").notNull(),
  activeRuns: integer("active_runs").notNull().default(0),
  stoppedAt: timestamp("stopped_at"),
});

/** WeChat errors per account, Beijing day, endpoint and errcode (the ledger writes them beside api_usage). */
export const apiErrors = sqliteTable(
  "api_errors",
  {
    appid: text("appid").notNull(),
    day: text("day").notNull(),
    path: text("path").notNull(),
    errcode: integer("errcode").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.appid, t.day, t.path, t.errcode] })],
);

/** One row that the readiness check rewrites to prove the database takes writes. */
export const healthProbe = sqliteTable("health_probe", {
  id: integer("id").primaryKey(),
  checkedAt: timestamp("checked_at").notNull(),
});

/**
 * Plaintext-mode push URLs already accepted, each bound to the digest of its first body until its
 * signed timestamp leaves the replay window (see lib/push/signed-urls.ts). WITHOUT ROWID in SQL.
 */
export const pushSignedUrls = sqliteTable(
  "push_signed_urls",
  {
    accountId: text("account_id").notNull(),
    signature: text("signature").notNull(),
    /** SHA-256 of the first body accepted with this URL (base64). */
    digest: text("digest").notNull(),
    /** Unix seconds: the signed timestamp plus the replay window; the row is deleted after it. */
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.signature] }),
    index("push_signed_urls_expires").on(t.expiresAt),
  ],
);

/** Keys other systems call /api/v1 with. Only the SHA-256 of the key is stored; the key is shown once. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    /** The key's first characters (`uv_` + 6), to tell keys apart in the list and in logs. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    /** JSON array of scopes (lib/apikeys/scopes.ts). */
    scopes: text("scopes").notNull(),
    createdById: integer("created_by_id"),
    createdByEmail: text("created_by_email"),
    createdAt: timestamp("created_at").notNull().default(now),
    revokedAt: timestamp("revoked_at"),
    lastUsedAt: timestamp("last_used_at"),
  },
  (t) => [uniqueIndex("api_keys_key_hash").on(t.keyHash)],
);

/** Requests per key and Beijing day; key_id 0 counts refusals of unknown or malformed keys. */
export const apiKeyUsage = sqliteTable(
  "api_key_usage",
  {
    keyId: integer("key_id").notNull(),
    day: text("day").notNull(),
    requests: integer("requests").notNull().default(0),
    refused: integer("refused").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.day] })],
);

export const webhookEndpoints = sqliteTable("webhook_endpoints", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  url: text("url").notNull(),
  /** JSON array of event types (lib/webhooks/events.ts). */
  events: text("events").notNull(),
  /** The whsec_… signing secret, sealed like account secrets (it must be used, so it cannot be hashed). */
  secretSealed: text("secret_sealed").notNull(),
  createdById: integer("created_by_id"),
  createdByEmail: text("created_by_email"),
  createdAt: timestamp("created_at").notNull().default(now),
  disabledAt: timestamp("disabled_at"),
});

/** Events for other systems, written in the same transaction as the follower change they tell of. */
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The Standard Webhooks message id (webhook-id), the same on every attempt. */
    msgId: text("msg_id").notNull(),
    type: text("type").notNull(),
    accountId: text("account_id").notNull(),
    openid: text("openid").notNull(),
    personId: integer("person_id"),
    /** The exact JSON body sent (signed as is on every attempt). */
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("outbox_msg_id").on(t.msgId)],
);

/** One event for one endpoint: the worker's queue and the endpoint's delivery log. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    endpointId: integer("endpoint_id").notNull(),
    outboxId: integer("outbox_id").notNull(),
    /** Deliveries with the same key (the person) go out one after the other, in id order. */
    orderKey: text("order_key").notNull(),
    /** The follower (account/openid): its events also go out in order when its person changes. */
    openidKey: text("openid_key").notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    leaseUntil: integer("lease_until"),
    lastAttemptAt: integer("last_attempt_at"),
    lastStatus: integer("last_status"),
    lastLatencyMs: integer("last_latency_ms"),
    lastError: text("last_error"),
    deliveredAt: integer("delivered_at"),
    /** No retry after this (24 h after the event, or after a redeliver). */
    giveUpAt: integer("give_up_at").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_outbox").on(t.endpointId, t.outboxId),
    index("webhook_deliveries_log").on(t.endpointId, t.id),
    index("webhook_deliveries_pending")
      .on(t.id, t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_order")
      .on(t.endpointId, t.orderKey, t.id)
      .where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_openid_order")
      .on(t.endpointId, t.openidKey, t.id)
      .where(sql`${t.status} = 'pending'`),
  ],
);
