import { apiRoute, json } from "@/lib/apiv1/handler";
import { audienceFigures } from "@/lib/identity/queries";

export const dynamic = "force-dynamic";

/** GET /api/v1/audience (scope audience:read): the figures of `npm run cli -- stats --json`. */
export const GET = apiRoute("audience:read", () => json(audienceFigures()));
