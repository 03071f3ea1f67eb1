import { CallStats } from "./stats";
import { followNew, followShared, resubscribe, unfollowRandom, unfollowSlots } from "./churn";
import { SimClock } from "./clock";
import { SimInputError, WxError } from "./errors";
import { FaultBook, type FaultSpec } from "./faults";
import { resolveOptions, type SimulatorOptions } from "./options";
import { generatePopulation, type AccountRecord, type Population } from "./population";
import { showsUnionid } from "./profile";
import { createRng, deriveSeed, type Rng } from "./prng";
import {
  sendPush,
  verifyUrl,
  type PushRequest,
  type PushResult,
  type VerifyRequest,
  type VerifyResult,
} from "./push";
import { QuotaBook } from "./quotas";
import { computeTruth, type Truth } from "./truth";
import { TokenStore } from "./tokens";

/** What GET /__sim/accounts tells about an account. */
export type AccountInfo = Pick<
  AccountRecord,
  "appid" | "secret" | "name" | "originalId" | "pushToken" | "encodingAESKey" | "bound"
>;

/** What POST /__sim/config may change at run time. */
export type SimulatorConfig = Pick<
  SimulatorOptions,
  | "pageSize"
  | "tokenOverlapSeconds"
  | "tokenLifetimeSeconds"
  | "quotas"
  | "perMinute"
  | "ipWhitelist"
  | "blocked"
  | "noPermission"
>;

/** Record fields merge key by key; a null value removes the key. */
export interface ConfigPatch {
  pageSize?: number;
  tokenOverlapSeconds?: number;
  tokenLifetimeSeconds?: number;
  quotas?: Record<string, number | null>;
  perMinute?: Record<string, number | null>;
  ipWhitelist?: Record<string, string[] | null>;
  blocked?: Record<string, boolean | number | null>;
  noPermission?: Record<string, string[] | null>;
}

export interface FollowRequest {
  appid: string;
  /** How many follow; new people unless `shared` (people who follow another account). */
  count?: number;
  shared?: boolean;
  /** Unsubscribed openids of this account that follow again. */
  openids?: string[];
}

export interface UnfollowRequest {
  appid: string;
  count?: number;
  openids?: string[];
}

export interface ChurnRequest {
  /** One account, or every account when absent. */
  appid?: string;
  follow?: number;
  unfollow?: number;
  /** Share of the follows taken from people who already follow another account (default 0.3). */
  shared?: number;
}

export interface ChurnResult {
  appid: string;
  followed: string[];
  unfollowed: string[];
}

export interface PersonView {
  unionid: string;
  follows: Array<{ appid: string; openid: string; subscribed: boolean; showsUnionid: boolean }>;
}

const MAX_CHURN = 1_000_000;

export class Simulator {
  readonly options: SimulatorOptions;
  readonly config: SimulatorConfig;
  readonly clock: SimClock;
  readonly population: Population;
  readonly tokens: TokenStore;
  readonly quotas: QuotaBook;
  readonly faults: FaultBook;
  readonly stats = new CallStats();
  /** Run-time randomness (churn, fault rates), seeded so a scripted run repeats. */
  readonly rng: Rng;
  private readonly byAppid = new Map<string, AccountRecord>();

  constructor(input: Partial<SimulatorOptions> = {}) {
    this.options = resolveOptions(input);
    const o = this.options;
    this.config = {
      pageSize: o.pageSize,
      tokenOverlapSeconds: o.tokenOverlapSeconds,
      tokenLifetimeSeconds: o.tokenLifetimeSeconds,
      quotas: { ...o.quotas },
      perMinute: { ...o.perMinute },
      ipWhitelist: { ...o.ipWhitelist },
      blocked: { ...o.blocked },
      noPermission: { ...o.noPermission },
    };
    this.clock = new SimClock(o.clockOffsetSeconds);
    this.population = generatePopulation(o);
    for (const account of this.population.accounts) this.byAppid.set(account.appid, account);
    this.rng = createRng(deriveSeed(o.seed, 4));
    this.tokens = new TokenStore(
      this.clock,
      () => this.config,
      (appid, chain) => this.stats.tokenIssued(appid, chain),
    );
    this.quotas = new QuotaBook(this.clock, () => this.config);
    this.faults = new FaultBook(createRng(deriveSeed(o.seed, 5)));
    for (const fault of o.faults) this.faults.add(fault);
  }

  accounts(): AccountInfo[] {
    return this.population.accounts.map((a) => ({
      appid: a.appid,
      secret: a.secret,
      name: a.name,
      originalId: a.originalId,
      pushToken: a.pushToken,
      encodingAESKey: a.encodingAESKey,
      bound: a.bound,
    }));
  }

  account(appid: string): AccountRecord | undefined {
    return this.byAppid.get(appid);
  }

  requireAccount(appid: unknown): AccountRecord {
    const account = typeof appid === "string" ? this.byAppid.get(appid) : undefined;
    if (!account) throw new SimInputError(`unknown appid ${JSON.stringify(appid)}`);
    return account;
  }

  truth(): Truth {
    return computeTruth(this.population);
  }

  /** Slots of the given openids; throws on any openid that is not this account's. */
  slotsOf(account: AccountRecord, openids: unknown): number[] {
    if (!Array.isArray(openids)) throw new SimInputError("openids must be an array of strings");
    return openids.map((openid) => {
      const slot = typeof openid === "string" ? account.openids.decode(openid) : -1;
      if (slot < 0 || slot >= account.follows.length) {
        throw new SimInputError(`${JSON.stringify(openid)} is not an openid of ${account.appid}`);
      }
      return slot;
    });
  }

  follow(request: FollowRequest): { appid: string; openids: string[] } {
    const account = this.requireAccount(request?.appid);
    const now = this.clock.now();
    let slots: number[];
    if (request.openids !== undefined) {
      slots = resubscribe(account, this.slotsOf(account, request.openids), now, this.rng);
    } else {
      const count = countOf(request.count);
      slots = request.shared
        ? followShared(this.population, account, count, now, this.rng, this.options.noUnionid)
        : followNew(this.population, account, count, now, this.rng, this.options.noUnionid);
    }
    return { appid: account.appid, openids: slots.map((s) => account.openids.encode(s)) };
  }

  unfollow(request: UnfollowRequest): { appid: string; openids: string[] } {
    const account = this.requireAccount(request?.appid);
    const slots =
      request.openids !== undefined
        ? unfollowSlots(account, this.slotsOf(account, request.openids))
        : unfollowRandom(account, countOf(request.count), this.rng);
    return { appid: account.appid, openids: slots.map((s) => account.openids.encode(s)) };
  }

  churn(request: ChurnRequest): ChurnResult[] {
    const targets =
      request?.appid === undefined ? this.population.accounts : [this.requireAccount(request.appid)];
    const follows = countOf(request?.follow ?? 0);
    const unfollows = countOf(request?.unfollow ?? 0);
    const sharedShare = request?.shared ?? 0.3;
    if (!(typeof sharedShare === "number" && sharedShare >= 0 && sharedShare <= 1)) {
      throw new SimInputError("shared must be a number in [0, 1]");
    }
    return targets.map((account) => {
      const unfollowed = this.unfollow({ appid: account.appid, count: unfollows }).openids;
      const sharedCount = Math.round(follows * sharedShare);
      const shared = this.follow({ appid: account.appid, count: sharedCount, shared: true }).openids;
      const fresh = this.follow({ appid: account.appid, count: follows - shared.length }).openids;
      return { appid: account.appid, followed: [...shared, ...fresh], unfollowed };
    });
  }

  /** Openids of an account in user/get order (subscribed, unsubscribed or both). */
  followers(
    appid: string,
    filter: { subscribed?: boolean; offset?: number; limit?: number } = {},
  ): { total: number; openids: string[] } {
    const account = this.requireAccount(appid);
    const offset = Math.max(0, filter.offset ?? 0);
    const limit = Math.max(0, filter.limit ?? 100);
    const openids: string[] = [];
    let total = 0;
    const { order, follows } = account;
    for (let i = 0; i < order.length; i++) {
      const slot = order.slots[i] as number;
      if (filter.subscribed !== undefined && follows.isSubscribed(slot) !== filter.subscribed) continue;
      if (total >= offset && openids.length < limit) openids.push(account.openids.encode(slot));
      total++;
    }
    return { total, openids };
  }

  /** Everything the simulator knows about one person, found by any openid or their unionid. */
  findPerson(id: string): PersonView | null {
    let person = this.population.unionids.decode(id);
    if (person >= this.population.people) person = -1;
    for (const account of this.population.accounts) {
      if (person >= 0) break;
      const slot = account.openids.decode(id);
      if (slot >= 0 && slot < account.follows.length) person = account.follows.person[slot] as number;
    }
    if (person < 0) return null;
    const follows: PersonView["follows"] = [];
    for (const account of this.population.accounts) {
      const { person: persons, length } = account.follows;
      for (let slot = 0; slot < length; slot++) {
        if (persons[slot] !== person) continue;
        const subscribed = account.follows.isSubscribed(slot);
        follows.push({
          appid: account.appid,
          openid: account.openids.encode(slot),
          subscribed,
          showsUnionid: showsUnionid(account, slot),
        });
      }
    }
    return { unionid: this.population.unionids.encode(person), follows };
  }

  advanceClock(seconds: number): number {
    if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
      throw new SimInputError("advanceSeconds must be a number >= 0");
    }
    this.clock.advance(seconds);
    return this.clock.now();
  }

  configure(patch: ConfigPatch): SimulatorConfig {
    if (typeof patch !== "object" || patch === null) throw new SimInputError("config must be an object");
    const c = this.config;
    const positive = (value: unknown, name: string, min: number) => {
      if (typeof value !== "number" || !(value >= min)) throw new SimInputError(`${name} must be >= ${min}`);
      return value;
    };
    if (patch.pageSize !== undefined) c.pageSize = Math.floor(positive(patch.pageSize, "pageSize", 1));
    if (patch.tokenOverlapSeconds !== undefined)
      c.tokenOverlapSeconds = positive(patch.tokenOverlapSeconds, "tokenOverlapSeconds", 0);
    if (patch.tokenLifetimeSeconds !== undefined)
      c.tokenLifetimeSeconds = positive(patch.tokenLifetimeSeconds, "tokenLifetimeSeconds", 1);
    mergeRecord(c.quotas, patch.quotas, "quotas", (v) => typeof v === "number" && v >= 0);
    mergeRecord(c.perMinute, patch.perMinute, "perMinute", (v) => typeof v === "number" && v >= 0);
    mergeRecord(
      c.ipWhitelist,
      patch.ipWhitelist,
      "ipWhitelist",
      (v) => Array.isArray(v) && v.every((ip) => typeof ip === "string"),
    );
    mergeRecord(c.blocked, patch.blocked, "blocked", (v) => typeof v === "boolean" || Number.isInteger(v));
    mergeRecord(
      c.noPermission,
      patch.noPermission,
      "noPermission",
      (v) => Array.isArray(v) && v.every((p) => typeof p === "string"),
    );
    return structuredClone(c);
  }

  addFault(spec: FaultSpec): number {
    try {
      return this.faults.add(spec);
    } catch (error) {
      throw new SimInputError((error as Error).message);
    }
  }

  /** The refusals WeChat gives an account before looking at the request: IP whitelist, frozen, permission. */
  checkAccess(account: AccountRecord, path: string, ip: { v4: string; v6: string }): void {
    this.checkIp(account.appid, ip);
    const blocked = this.config.blocked[account.appid];
    if (blocked) throw new WxError(typeof blocked === "number" ? blocked : 50004);
    if (this.config.noPermission[account.appid]?.includes(path)) throw new WxError(48001);
  }

  checkIp(appid: string, ip: { v4: string; v6: string }): void {
    const whitelist = this.config.ipWhitelist[appid];
    if (!whitelist || whitelist.includes(ip.v4) || whitelist.includes(ip.v6)) return;
    throw new WxError(40164, `invalid ip ${ip.v4} ipv6 ${ip.v6}, not in whitelist`);
  }

  push(request: PushRequest): Promise<PushResult> {
    return sendPush(this, request);
  }

  verifyUrl(request: VerifyRequest): Promise<VerifyResult> {
    return verifyUrl(this, request);
  }
}

function countOf(value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_CHURN) {
    throw new SimInputError(`count must be an integer from 0 to ${MAX_CHURN}`);
  }
  return value;
}

function mergeRecord<T>(
  target: Record<string, T>,
  patch: Record<string, T | null> | undefined,
  name: string,
  valid: (value: unknown) => boolean,
): void {
  if (patch === undefined) return;
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    throw new SimInputError(`${name} must be an object`);
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value !== null && !valid(value)) throw new SimInputError(`${name}.${key} has an invalid value`);
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else target[key] = value;
  }
}
