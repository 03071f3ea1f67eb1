export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { runStartupChecks } = await import("./lib/startup/checks");
    runStartupChecks();
  }
}

/**
 * Errors thrown while rendering a page or running a route handler or action, as one structured log
 * line with the request id (the proxy's X-Request-Id when given), path and route; never headers or body.
 */
export async function onRequestError(
  error: unknown,
  request: { path: string; method: string; headers: Record<string, string | string[] | undefined> },
  context: { routePath?: string; routeType?: string },
) {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { childLogger } = await import("./lib/log");
  const { requestIdOf } = await import("./lib/log/request");
  const given = request.headers["x-request-id"];
  childLogger({
    requestId: requestIdOf(typeof given === "string" ? given : null),
    method: request.method,
    path: request.path.split("?")[0],
    route: context.routePath,
    routeType: context.routeType,
  }).error(
    {
      err: {
        message: error instanceof Error ? error.message : String(error),
        digest: (error as { digest?: string })?.digest,
      },
    },
    "request failed",
  );
}
