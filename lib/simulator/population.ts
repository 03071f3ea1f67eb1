import { FollowerTable, ListOrder, NO_UNIONID, SUBSCRIBED } from "./follower-table";
import { IdCodec } from "./ids";
import { followersFor, type SimulatorOptions } from "./options";
import { createRng, deriveSeed, type Rng } from "./prng";

export const SCENES = [
  "ADD_SCENE_SEARCH",
  "ADD_SCENE_QR_CODE",
  "ADD_SCENE_PROFILE_CARD",
  "ADD_SCENE_ACCOUNT_MIGRATION",
  "ADD_SCENE_PAID",
  "ADD_SCENE_WECHAT_ADVERTISEMENT",
  "ADD_SCENE_OTHERS",
] as const;
export const QR_CODE_SCENE = 1;
const SCENE_WEIGHTS = [0.3, 0.22, 0.18, 0.03, 0.02, 0.1, 0.15];

const TAG_NAMES = ["VIP客户", "北京", "上海", "活动报名", "老会员", "潜在客户", "员工", "Media"];
const REMARKS = [
  "老客户",
  "王女士 138",
  "VIP - Beijing",
  "展会认识",
  "张三",
  "团购群",
  "Alice",
  "回头客",
  "李经理（上海）",
  "wholesale",
  "门店 #12",
  "不要打扰",
];
const REMARK_SHARE = 0.03;
const TAGGED_SHARE = 0.04;
const THREE_YEARS = 3 * 365 * 86_400;
const ENCODING_KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export interface TagDefinition {
  id: number;
  name: string;
}

export interface AccountRecord {
  index: number;
  appid: string;
  secret: string;
  name: string;
  originalId: string;
  pushToken: string;
  encodingAESKey: string;
  /** Bound to the Open Platform: only then do profiles carry a unionid. */
  bound: boolean;
  openids: IdCodec;
  follows: FollowerTable;
  order: ListOrder;
  subscribed: number;
  remarks: Map<number, string>;
  tags: TagDefinition[];
  tagsBySlot: Map<number, number[]>;
  /** QR scenes set at run time by pushed subscribe events; generated ones are derived from the slot. */
  qrOverrides: Map<number, { qrScene: number; qrSceneStr: string }>;
  /** Seed of the derived per-slot details (language, QR scene). */
  detailKey: number;
}

export interface Population {
  accounts: AccountRecord[];
  /** People are 0..people-1; a unionid encodes the person index. */
  people: number;
  unionids: IdCodec;
}

export function pickScene(rng: Rng): number {
  let r = rng.next();
  for (let i = 0; i < SCENE_WEIGHTS.length; i++) {
    r -= SCENE_WEIGHTS[i] as number;
    if (r < 0) return i;
  }
  return SCENES.length - 1;
}

function makeAccount(options: SimulatorOptions, index: number): AccountRecord {
  const rng = createRng(deriveSeed(options.seed, 1, index));
  const tagCount = 2 + rng.int(3);
  const tags: TagDefinition[] = [{ id: 2, name: "星标组" }];
  const names = [...TAG_NAMES];
  for (let i = 0; i < tagCount; i++) {
    const [name] = names.splice(rng.int(names.length), 1);
    tags.push({ id: 100 + i, name: name as string });
  }
  return {
    index,
    appid: `wx${rng.hex(16)}`,
    secret: rng.hex(32),
    name: `演示服务号 ${index + 1}`,
    originalId: `gh_${rng.hex(12)}`,
    pushToken: rng.string(32, ENCODING_KEY_ALPHABET),
    encodingAESKey: rng.string(43, ENCODING_KEY_ALPHABET),
    bound: index < options.accounts - options.unbound,
    openids: new IdCodec(rng.u32()),
    follows: new FollowerTable(0),
    order: new ListOrder(0),
    subscribed: 0,
    remarks: new Map(),
    tags,
    tagsBySlot: new Map(),
    qrOverrides: new Map(),
    detailKey: rng.u32(),
  };
}

/** Probability weights for how many accounts a multi-account person follows (2, 3, …). */
function multiWeights(accounts: number): number[] {
  const weights: number[] = [];
  for (let k = 2; k <= accounts; k++) weights.push(0.45 ** (k - 2));
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / sum);
}

function shuffle(values: Int32Array | Uint32Array, rng: Rng): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = values[i] as number;
    values[i] = values[j] as number;
    values[j] = t;
  }
}

/**
 * Builds the population. Each account gets `followers` subscribed openids plus enough unsubscribed ones
 * to make up the `unsubscribed` share. People are dealt out so that about `overlap` of them follow two or
 * more accounts (a follow may land on an unsubscribed slot, so the exact figures come from /__sim/truth).
 */
export function generatePopulation(options: SimulatorOptions): Population {
  const accounts = Array.from({ length: options.accounts }, (_, i) => makeAccount(options, i));
  const rng = createRng(deriveSeed(options.seed, 2));
  const slotCounts = accounts.map((_, i) => {
    const subscribed = followersFor(options, i);
    return subscribed + Math.round((subscribed * options.unsubscribed) / (1 - options.unsubscribed));
  });
  const totalSlots = slotCounts.reduce((a, b) => a + b, 0);

  const persons = slotCounts.map((n) => new Int32Array(n));
  const filled = slotCounts.map(() => 0);
  const remaining = [...slotCounts];
  let people = 0;

  if (accounts.length > 1 && options.overlap > 0) {
    const weights = multiWeights(accounts.length);
    const meanK = weights.reduce((sum, w, i) => sum + w * (i + 2), 0);
    const totalPeople = totalSlots / (1 - options.overlap + options.overlap * meanK);
    const multi = Math.round(options.overlap * totalPeople);
    const chosen: number[] = [];
    for (let m = 0; m < multi; m++) {
      let r = rng.next();
      let k = 2;
      for (let i = 0; i < weights.length - 1 && r >= (weights[i] as number); i++) {
        r -= weights[i] as number;
        k++;
      }
      chosen.length = 0;
      for (let pick = 0; pick < k; pick++) {
        let free = 0;
        for (let a = 0; a < accounts.length; a++) if (!chosen.includes(a)) free += remaining[a] as number;
        if (free === 0) break;
        let target = rng.next() * free;
        for (let a = 0; a < accounts.length; a++) {
          if (chosen.includes(a) || remaining[a] === 0) continue;
          target -= remaining[a] as number;
          if (target < 0) {
            chosen.push(a);
            break;
          }
        }
      }
      if (chosen.length === 0) break;
      const person = people++;
      for (const a of chosen) {
        (persons[a] as Int32Array)[(filled[a] as number)++] = person;
        remaining[a] = (remaining[a] as number) - 1;
      }
    }
  }

  for (let a = 0; a < accounts.length; a++) {
    const list = persons[a] as Int32Array;
    for (let i = filled[a] as number; i < list.length; i++) list[i] = people++;
    shuffle(list, rng);
    fillAccount(accounts[a] as AccountRecord, list, options, rng);
  }

  return { accounts, people, unionids: new IdCodec(deriveSeed(options.seed, 3)) };
}

function fillAccount(account: AccountRecord, persons: Int32Array, options: SimulatorOptions, rng: Rng): void {
  const slots = persons.length;
  const unsubscribed = slots - followersFor(options, account.index);
  const table = new FollowerTable(slots);
  table.person.set(persons);
  table.length = slots;
  const noUnionid = account.bound ? options.noUnionid : 0;
  for (let slot = 0; slot < slots; slot++) {
    table.subscribeTime[slot] = options.populationEpoch - rng.int(THREE_YEARS);
    table.scene[slot] = pickScene(rng);
    // The persons were shuffled, so the first `unsubscribed` slots are a random sample.
    table.flags[slot] = (slot < unsubscribed ? 0 : SUBSCRIBED) | (rng.chance(noUnionid) ? NO_UNIONID : 0);
  }
  account.follows = table;
  account.subscribed = slots - unsubscribed;

  const order = new ListOrder(slots);
  for (let slot = 0; slot < slots; slot++) order.slots[slot] = slot;
  order.length = slots;
  shuffle(order.slots.subarray(0, slots), rng);
  account.order = order;

  const remarks = Math.round(slots * REMARK_SHARE);
  for (let i = 0; i < remarks; i++) account.remarks.set(rng.int(slots), rng.pick(REMARKS));
  const tagged = Math.round(slots * TAGGED_SHARE);
  for (let i = 0; i < tagged; i++) {
    const slot = rng.int(slots);
    const first = rng.pick(account.tags).id;
    const second = rng.pick(account.tags).id;
    account.tagsBySlot.set(slot, first === second ? [first] : [first, second]);
  }
}
