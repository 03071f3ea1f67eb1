import type { FaultSpec } from "./faults";

export interface SimulatorOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  host: string;
  seed: number;
  /** Number of accounts (1..32). */
  accounts: number;
  /** Subscribed followers per account: one number for all, or one per account. */
  followers: number | number[];
  /** Share of people (0..1) who follow two or more accounts. */
  overlap: number;
  /** Share of follows of bound accounts whose profile carries no unionid. */
  noUnionid: number;
  /** Share of each account's openids that are unsubscribed (seen by batchget as subscribe 0, not by user/get). */
  unsubscribed: number;
  /** How many accounts (the last ones) are not bound to the Open Platform. */
  unbound: number;
  /** Openids per user/get page. */
  pageSize: number;
  /** How long a replaced access_token keeps working; 0 = only the newest token of a chain is accepted. */
  tokenOverlapSeconds: number;
  tokenLifetimeSeconds: number;
  /** Daily limits per account by cgi path ("/cgi-bin/user/info" also counts batchget). */
  quotas: Record<string, number>;
  /** Optional per-minute limits per account by cgi path (45011). */
  perMinute: Record<string, number>;
  ipWhitelist: Record<string, string[]>;
  /** appid → true (errcode 50004) or the errcode to answer every API call with (e.g. 40243). */
  blocked: Record<string, boolean | number>;
  /** appid → cgi paths the account may not call (48001). */
  noPermission: Record<string, string[]>;
  /** Subscribe times are spread over the 3 years before this instant (unix s), so data does not depend on today. */
  populationEpoch: number;
  /** Starting offset of the simulated clock from real time, in seconds. */
  clockOffsetSeconds: number;
  /** Faults installed at start. */
  faults: FaultSpec[];
}

export const QUOTA_PATHS = {
  token: "/cgi-bin/token",
  stableToken: "/cgi-bin/stable_token",
  userGet: "/cgi-bin/user/get",
  userInfo: "/cgi-bin/user/info",
  batchget: "/cgi-bin/user/info/batchget",
  updateRemark: "/cgi-bin/user/info/updateremark",
  tagsGet: "/cgi-bin/tags/get",
  batchTagging: "/cgi-bin/tags/members/batchtagging",
} as const;

export const DEFAULT_QUOTAS: Readonly<Record<string, number>> = {
  [QUOTA_PATHS.token]: 2000,
  [QUOTA_PATHS.stableToken]: 500_000,
  [QUOTA_PATHS.userGet]: 500,
  [QUOTA_PATHS.userInfo]: 5_000_000,
  [QUOTA_PATHS.updateRemark]: 10_000,
  [QUOTA_PATHS.tagsGet]: 1_000_000,
  [QUOTA_PATHS.batchTagging]: 100_000,
};

/** batchget shares user/info's counter, as on WeChat. */
export function quotaKey(path: string): string {
  return path === QUOTA_PATHS.batchget ? QUOTA_PATHS.userInfo : path;
}

export const MAX_ACCOUNTS = 32;

export function resolveOptions(input: Partial<SimulatorOptions> = {}): SimulatorOptions {
  const accounts = input.accounts ?? 4;
  const options: SimulatorOptions = {
    port: input.port ?? 0,
    host: input.host ?? "127.0.0.1",
    seed: input.seed ?? 1,
    accounts,
    followers: input.followers ?? 3000,
    overlap: input.overlap ?? 0.35,
    noUnionid: input.noUnionid ?? 0.05,
    unsubscribed: input.unsubscribed ?? 0.1,
    unbound: input.unbound ?? (accounts > 1 ? 1 : 0),
    pageSize: input.pageSize ?? 10_000,
    tokenOverlapSeconds: input.tokenOverlapSeconds ?? 300,
    tokenLifetimeSeconds: input.tokenLifetimeSeconds ?? 7200,
    quotas: { ...DEFAULT_QUOTAS, ...input.quotas },
    perMinute: { ...input.perMinute },
    ipWhitelist: { ...input.ipWhitelist },
    blocked: { ...input.blocked },
    noPermission: { ...input.noPermission },
    populationEpoch: input.populationEpoch ?? 1_767_196_800,
    clockOffsetSeconds: input.clockOffsetSeconds ?? 0,
    faults: [...(input.faults ?? [])],
  };
  validate(options);
  return options;
}

function validate(o: SimulatorOptions): void {
  const fail = (message: string): never => {
    throw new RangeError(`simulator options: ${message}`);
  };
  if (!Number.isInteger(o.accounts) || o.accounts < 1 || o.accounts > MAX_ACCOUNTS)
    fail(`accounts must be an integer from 1 to ${MAX_ACCOUNTS}`);
  const followers = Array.isArray(o.followers) ? o.followers : [o.followers];
  if (Array.isArray(o.followers) && o.followers.length !== o.accounts)
    fail(`followers lists ${o.followers.length} numbers for ${o.accounts} accounts`);
  if (followers.some((n) => !Number.isInteger(n) || n < 0 || n > 50_000_000))
    fail("followers must be whole numbers from 0 to 50,000,000");
  for (const key of ["overlap", "noUnionid", "unsubscribed"] as const) {
    const value = o[key];
    if (!(value >= 0 && value < 1)) fail(`${key} must be in [0, 1)`);
  }
  if (!Number.isInteger(o.unbound) || o.unbound < 0 || o.unbound > o.accounts)
    fail("unbound must be an integer from 0 to accounts");
  if (!Number.isInteger(o.pageSize) || o.pageSize < 1) fail("pageSize must be a positive integer");
  if (!(o.tokenOverlapSeconds >= 0)) fail("tokenOverlapSeconds must be >= 0");
  if (!(o.tokenLifetimeSeconds > 0)) fail("tokenLifetimeSeconds must be > 0");
  if (!Number.isInteger(o.seed)) fail("seed must be an integer");
}

export function followersFor(options: SimulatorOptions, account: number): number {
  return Array.isArray(options.followers) ? (options.followers[account] ?? 0) : options.followers;
}
