import { NO_UNIONID, SUBSCRIBED } from "./follower-table";
import type { AccountRecord, Population } from "./population";
import { QR_CODE_SCENE, SCENES } from "./population";
import { mix32 } from "./prng";

const QR_SCENE_STRINGS = ["spring_fair", "store_12", "invite_2025", "poster_a", "活动_海报"];

export interface SubscribedProfile {
  subscribe: 1;
  openid: string;
  nickname: "";
  sex: 0;
  language: string;
  city: "";
  province: "";
  country: "";
  headimgurl: "";
  subscribe_time: number;
  unionid?: string;
  remark: string;
  groupid: 0;
  tagid_list: number[];
  subscribe_scene: string;
  qr_scene: number;
  qr_scene_str: string;
}

export type Profile = SubscribedProfile | { subscribe: 0; openid: string; tagid_list: number[] };

/** Whether user/info shows this follow's unionid: bound account, subscribed, and not in the no-unionid share. */
export function showsUnionid(account: AccountRecord, slot: number): boolean {
  const flags = account.follows.flags[slot] ?? 0;
  return account.bound && (flags & SUBSCRIBED) !== 0 && (flags & NO_UNIONID) === 0;
}

export function qrSceneOf(account: AccountRecord, slot: number): { qrScene: number; qrSceneStr: string } {
  const override = account.qrOverrides.get(slot);
  if (override) return override;
  if (account.follows.scene[slot] !== QR_CODE_SCENE) return { qrScene: 0, qrSceneStr: "" };
  const h = mix32(slot ^ mix32(account.detailKey + 1));
  return h & 1
    ? { qrScene: ((h >>> 1) % 100_000) + 1, qrSceneStr: "" }
    : { qrScene: 0, qrSceneStr: QR_SCENE_STRINGS[(h >>> 1) % QR_SCENE_STRINGS.length] as string };
}

function languageOf(account: AccountRecord, slot: number): string {
  const h = mix32(slot ^ account.detailKey) % 100;
  return h < 90 ? "zh_CN" : h < 96 ? "en" : "zh_TW";
}

export function profileOf(population: Population, account: AccountRecord, slot: number): Profile {
  const openid = account.openids.encode(slot);
  if (!account.follows.isSubscribed(slot)) return { subscribe: 0, openid, tagid_list: [] };
  const { qrScene, qrSceneStr } = qrSceneOf(account, slot);
  const profile: SubscribedProfile = {
    subscribe: 1,
    openid,
    nickname: "",
    sex: 0,
    language: languageOf(account, slot),
    city: "",
    province: "",
    country: "",
    headimgurl: "",
    subscribe_time: account.follows.subscribeTime[slot] ?? 0,
    remark: account.remarks.get(slot) ?? "",
    groupid: 0,
    tagid_list: [...(account.tagsBySlot.get(slot) ?? [])],
    subscribe_scene: SCENES[account.follows.scene[slot] ?? 0] ?? "ADD_SCENE_OTHERS",
    qr_scene: qrScene,
    qr_scene_str: qrSceneStr,
  };
  if (showsUnionid(account, slot)) {
    // Insert after subscribe_time to keep WeChat's key order.
    const { remark, groupid, tagid_list, subscribe_scene, qr_scene, qr_scene_str, ...head } = profile;
    return {
      ...head,
      unionid: population.unionids.encode(account.follows.person[slot] ?? 0),
      remark,
      groupid,
      tagid_list,
      subscribe_scene,
      qr_scene,
      qr_scene_str,
    };
  }
  return profile;
}
