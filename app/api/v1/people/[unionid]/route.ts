import { ApiError } from "@/lib/apiv1/errors";
import { apiRoute, json, parseOrRefuse } from "@/lib/apiv1/handler";
import { unionidParam } from "@/lib/apiv1/schemas";
import { identityByUnionid } from "@/lib/identity/queries";

export const dynamic = "force-dynamic";

/** GET /api/v1/people/{unionid} (scope people:read): the person with this unionid. */
export const GET = apiRoute<{ unionid: string }>("people:read", (_request, params) => {
  const identity = identityByUnionid(parseOrRefuse(unionidParam, params.unionid));
  if (!identity) throw new ApiError("not_found", "UnionView knows no person with this unionid.");
  return json(identity);
});
