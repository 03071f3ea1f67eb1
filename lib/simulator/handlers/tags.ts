import { OK, slotOf, type CgiRoute } from "../cgi";
import { WxError } from "../errors";

const TAGGING_LIMIT = 50;
const TAGS_PER_USER = 20;

export const tagRoutes: CgiRoute[] = [
  {
    path: "/cgi-bin/tags/get",
    method: "GET",
    kind: "api",
    handle({ account }) {
      const counts = new Map<number, number>();
      for (const [slot, ids] of account.tagsBySlot) {
        if (!account.follows.isSubscribed(slot)) continue;
        for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      return { tags: account.tags.map((t) => ({ id: t.id, name: t.name, count: counts.get(t.id) ?? 0 })) };
    },
  },
  {
    path: "/cgi-bin/tags/members/batchtagging",
    method: "POST",
    kind: "api",
    handle({ account, body }) {
      const list = body.openid_list ?? [];
      if (!Array.isArray(list)) throw new WxError(47001);
      if (list.length === 0 || list.length > TAGGING_LIMIT) throw new WxError(40032);
      const tagid = Number(body.tagid);
      if (!account.tags.some((t) => t.id === tagid)) throw new WxError(45159);
      const slots = list.map((openid: unknown) => slotOf(account, openid));
      for (const slot of slots) {
        const tags = account.tagsBySlot.get(slot) ?? [];
        if (!tags.includes(tagid) && tags.length >= TAGS_PER_USER) throw new WxError(45059);
      }
      for (const slot of slots) {
        const tags = account.tagsBySlot.get(slot) ?? [];
        if (!tags.includes(tagid)) account.tagsBySlot.set(slot, [...tags, tagid]);
      }
      return OK;
    },
  },
];
