import { ApiError } from "@/lib/apiv1/errors";
import { apiRoute, json, parseOrRefuse } from "@/lib/apiv1/handler";
import { appidParam, openidParam } from "@/lib/apiv1/schemas";
import { identityByOpenid } from "@/lib/identity/queries";

export const dynamic = "force-dynamic";

/** GET /api/v1/identities/{appid}/{openid} (scope identities:read): the person behind an openid. */
export const GET = apiRoute<{ appid: string; openid: string }>("identities:read", (_request, params) => {
  const appid = parseOrRefuse(appidParam, params.appid);
  const openid = parseOrRefuse(openidParam, params.openid);
  const identity = identityByOpenid(appid, openid);
  if (!identity)
    throw new ApiError("not_found", "UnionView knows no follower with this openid in this account.");
  return json(identity);
});
