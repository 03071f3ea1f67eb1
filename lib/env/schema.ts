import { z } from "zod";

const base64Key = z
  .string({ error: "is missing" })
  .trim()
  .refine((v) => /^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, "base64").length === 32, {
    message: "must be 32 random bytes in base64 (44 characters), as `openssl rand -base64 32` prints",
  });

export const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .min(1, "must be a path to the SQLite file, e.g. data/unionview.db")
    .default("data/unionview.db"),
  AUTH_SECRET: z
    .string({ error: "is missing" })
    .trim()
    .min(32, "must be at least 32 characters (generate one with `openssl rand -base64 32`)"),
  UNIONVIEW_SECRET_KEY: base64Key,
  WECHAT_API_BASE: z
    .url("must be a URL such as https://api.weixin.qq.com")
    .default("https://api.weixin.qq.com"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** WeChat API calls one account may make per Beijing day before its syncs pause until midnight. */
  SYNC_DAILY_CALL_BUDGET: z.coerce.number().int().positive("must be a whole number of API calls").optional(),
  /** Push events older than this are deleted by the sync worker; 0 keeps them forever. */
  PUSH_EVENTS_RETENTION_DAYS: z.coerce
    .number()
    .int("must be a whole number of days")
    .min(0, "must be 0 (keep forever) or a number of days")
    .default(180),
  /** Per-follower change lists of syncs finished longer ago are deleted by the sync worker; 0 keeps them. */
  SYNC_CHANGES_RETENTION_DAYS: z.coerce
    .number()
    .int("must be a whole number of days")
    .min(0, "must be 0 (keep forever) or a number of days")
    .default(180),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** `json` (one JSON object per line) or `pretty` (readable); JSON by default when NODE_ENV=production. */
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  /** Turns on GET /metrics, which then asks for it as a bearer token. */
  METRICS_TOKEN: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().trim().min(16, "must be at least 16 characters (e.g. `openssl rand -hex 24`)").optional(),
  ),
  /** Readiness fails below this much free space on the database's disk. */
  HEALTH_MIN_FREE_DISK_MB: z.coerce.number().int().min(0, "must be a number of megabytes").default(512),
  /** Requests per second each API key may make on average (token bucket refill rate). */
  UNIONVIEW_API_RATE: z.coerce.number().positive("must be a number of requests per second").default(50),
  /** Requests an API key may make at once before the rate applies (token bucket size). */
  UNIONVIEW_API_BURST: z.coerce.number().int().positive("must be a whole number of requests").default(100),
  /** 1 lets webhooks reach loopback and private-network addresses (tests, the demo, an intranet CRM). */
  UNIONVIEW_WEBHOOK_ALLOW_PRIVATE: z.enum(["0", "1"], "must be 0 or 1").default("0"),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(
      `UnionView cannot start: the environment is not configured correctly.\n` +
        problems.map((p) => `  - ${p}`).join("\n") +
        `\nSet these variables in .env.local or the process environment (see README, "Configuration").`,
    );
    this.name = "EnvError";
  }
}

/** Parses an environment object; throws EnvError naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "environment";
    const message =
      issue.code === "invalid_type" && source[name] === undefined ? "is missing" : issue.message;
    return `${name} ${message}`;
  });
  throw new EnvError(problems);
}
