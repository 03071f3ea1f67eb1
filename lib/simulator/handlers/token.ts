import type { CgiContext, CgiRoute } from "../cgi";
import { parseJsonBody } from "../cgi";
import { WxError } from "../errors";
import type { AccountRecord } from "../population";

function checkCredentials(
  ctx: CgiContext,
  grantType: unknown,
  appid: unknown,
  secret: unknown,
): AccountRecord {
  if (grantType !== "client_credential") throw new WxError(40002);
  if (typeof appid !== "string" || appid === "") throw new WxError(41002);
  const account = ctx.sim.account(appid);
  if (!account) throw new WxError(40013);
  if (typeof secret !== "string" || secret === "") throw new WxError(41004);
  if (secret !== account.secret) throw new WxError(40125);
  ctx.sim.checkIp(appid, ctx.ip);
  return account;
}

export const tokenRoutes: CgiRoute[] = [
  {
    path: "/cgi-bin/token",
    method: "GET",
    kind: "credentials",
    handle(ctx) {
      const q = ctx.query;
      const account = checkCredentials(ctx, q.get("grant_type"), q.get("appid"), q.get("secret"));
      ctx.sim.quotas.consume(account.appid, ctx.path);
      const { token, expiresIn } = ctx.sim.tokens.issue(account.appid);
      return { access_token: token, expires_in: expiresIn };
    },
  },
  {
    path: "/cgi-bin/stable_token",
    method: "POST",
    kind: "credentials",
    handle(ctx) {
      const body = parseJsonBody(ctx.rawBody);
      const account = checkCredentials(ctx, body.grant_type, body.appid, body.secret);
      ctx.sim.quotas.consume(account.appid, ctx.path);
      const { token, expiresIn } = ctx.sim.tokens.stable(account.appid, body.force_refresh === true);
      return { access_token: token, expires_in: expiresIn };
    },
  },
];

/** The appid a credentials call names, if any (to attribute faults and stats before checking it). */
export function claimedAppid(ctx: CgiContext): string | null {
  const fromQuery = ctx.query.get("appid");
  if (fromQuery) return fromQuery;
  try {
    const appid = (JSON.parse(ctx.rawBody) as { appid?: unknown }).appid;
    return typeof appid === "string" ? appid : null;
  } catch {
    return null;
  }
}
