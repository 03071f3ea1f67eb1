import { openApiDocument } from "@/lib/apiv1/openapi";

/** GET /api/v1/openapi.json: the API's OpenAPI 3.1 description (public: it holds no data). */
export function GET() {
  return Response.json(openApiDocument());
}
