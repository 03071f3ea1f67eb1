import { OK, type CgiRoute } from "../cgi";
import { WxError } from "../errors";

export const quotaRoutes: CgiRoute[] = [
  {
    path: "/cgi-bin/openapi/quota/get",
    method: "POST",
    kind: "api",
    handle({ sim, account, body }) {
      const path = body.cgi_path;
      const quota = typeof path === "string" ? sim.quotas.status(account.appid, path) : null;
      if (!quota) throw new WxError(76021);
      return { ...OK, quota };
    },
  },
  {
    path: "/cgi-bin/clear_quota",
    method: "POST",
    kind: "api",
    handle({ sim, account, body }) {
      if (typeof body.appid !== "string" || body.appid === "") throw new WxError(41002);
      if (body.appid !== account.appid) throw new WxError(40013);
      sim.quotas.clear(account.appid);
      return OK;
    },
  },
];
