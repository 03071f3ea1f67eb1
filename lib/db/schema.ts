import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

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
