import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
