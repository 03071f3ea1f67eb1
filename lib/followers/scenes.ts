/** WeChat's subscribe_scene values (the ones documented for user/info); the index is the bit in people.scene_mask. */
export const SCENES = [
  "ADD_SCENE_SEARCH",
  "ADD_SCENE_ACCOUNT_MIGRATION",
  "ADD_SCENE_PROFILE_CARD",
  "ADD_SCENE_QR_CODE",
  "ADD_SCENE_PROFILE_LINK",
  "ADD_SCENE_PROFILE_ITEM",
  "ADD_SCENE_PAID",
  "ADD_SCENE_WECHAT_ADVERTISEMENT",
  "ADD_SCENE_REPRINT",
  "ADD_SCENE_LIVESTREAM",
  "ADD_SCENE_CHANNELS",
  "ADD_SCENE_WXA",
  "ADD_SCENE_OTHERS",
] as const;

const BIT = new Map<string, number>(SCENES.map((s, i) => [s, 1 << i]));

/** The scene's bit, or 0 for a value WeChat added after this list (kept in followers, not filterable). */
export function sceneBit(scene: string | null | undefined): number {
  return (scene && BIT.get(scene)) || 0;
}

/** SQL for the bit of a subscribe_scene column (the SQL twin of sceneBit, for bulk recomputes). */
export function sceneBitSql(column: string): string {
  return `CASE ${column} ${SCENES.map((s, i) => `WHEN '${s}' THEN ${1 << i}`).join(" ")} ELSE 0 END`;
}
