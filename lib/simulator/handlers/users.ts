import { OK, slotOf, type CgiRoute } from "../cgi";
import { WxError } from "../errors";
import { profileOf } from "../profile";

const BATCH_LIMIT = 100;
const REMARK_LIMIT = 30;

export const userRoutes: CgiRoute[] = [
  {
    path: "/cgi-bin/user/get",
    method: "GET",
    kind: "api",
    handle({ sim, account, query }) {
      const cursor = query.get("next_openid") ?? "";
      let start = 0;
      if (cursor !== "") {
        const at = account.order.indexOf(slotOf(account, cursor));
        if (at < 0) throw new WxError(40003);
        start = at + 1;
      }
      const { order, follows } = account;
      const openids: string[] = [];
      for (let i = start; i < order.length && openids.length < sim.config.pageSize; i++) {
        const slot = order.slots[i] as number;
        if (follows.isSubscribed(slot)) openids.push(account.openids.encode(slot));
      }
      if (openids.length === 0) return { total: account.subscribed, count: 0, next_openid: "" };
      return {
        total: account.subscribed,
        count: openids.length,
        data: { openid: openids },
        next_openid: openids[openids.length - 1],
      };
    },
  },
  {
    path: "/cgi-bin/user/info",
    method: "GET",
    kind: "api",
    handle({ sim, account, query }) {
      return profileOf(sim.population, account, slotOf(account, query.get("openid")));
    },
  },
  {
    path: "/cgi-bin/user/info/batchget",
    method: "POST",
    kind: "api",
    handle({ sim, account, body }) {
      const list = body.user_list ?? [];
      if (!Array.isArray(list)) throw new WxError(47001);
      if (list.length === 0 || list.length > BATCH_LIMIT) throw new WxError(40032);
      // One bad openid fails the whole batch.
      const slots = list.map((item: unknown) =>
        slotOf(
          account,
          typeof item === "object" && item !== null ? (item as { openid?: unknown }).openid : null,
        ),
      );
      return { user_info_list: slots.map((slot) => profileOf(sim.population, account, slot)) };
    },
  },
  {
    path: "/cgi-bin/user/info/updateremark",
    method: "POST",
    kind: "api",
    handle({ account, body }) {
      const slot = slotOf(account, body.openid);
      const remark = body.remark ?? "";
      if (typeof remark !== "string") throw new WxError(47001);
      if ([...remark].length > REMARK_LIMIT) throw new WxError(40033);
      if (!account.follows.isSubscribed(slot)) throw new WxError(43004);
      if (remark === "") account.remarks.delete(slot);
      else account.remarks.set(slot, remark);
      return OK;
    },
  },
];
