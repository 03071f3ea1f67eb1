import { apiRoute, json, parseOrRefuse, readJson } from "@/lib/apiv1/handler";
import { ResolveRequest } from "@/lib/apiv1/schemas";
import { resolveIdentities } from "@/lib/identity/queries";

export const dynamic = "force-dynamic";

/** POST /api/v1/identities/resolve (scope identities:read): up to 1,000 openids, answered in order. */
export const POST = apiRoute("identities:read", async (request) => {
  const body = parseOrRefuse(ResolveRequest, await readJson(request));
  return json({ results: resolveIdentities(body.openids) });
});
