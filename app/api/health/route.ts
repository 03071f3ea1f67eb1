/**
 * Liveness for a process manager or load balancer: the process answers. No session, no database,
 * nothing secret (proxy.ts lets it through).
 */
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json(
    { status: "ok", uptimeSeconds: Math.round(process.uptime()) },
    { headers: { "cache-control": "no-store" } },
  );
}
