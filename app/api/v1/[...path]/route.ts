import { ApiError, errorResponse } from "@/lib/apiv1/errors";

/** Any other path under /api/v1: a JSON 404 rather than the dashboard's HTML page. */
function notFound() {
  return errorResponse(new ApiError("not_found", "There is no such API endpoint; see /api/v1/openapi.json."));
}
export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
