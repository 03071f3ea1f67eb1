import { readiness } from "@/lib/health";

/**
 * Readiness: 200 when the database takes writes, every migration is applied, the key opens the stored
 * secrets, a sync worker's heartbeat is fresh and the disk has room; otherwise 503 with what is wrong.
 * No session and no secrets (proxy.ts lets it through); the checks are cached for a second.
 */
export const dynamic = "force-dynamic";

export function GET() {
  const result = readiness();
  return Response.json(
    {
      status: result.ready ? "ready" : "not ready",
      checks: Object.fromEntries(result.checks.map((c) => [c.name, c.ok ? "ok" : "failed"])),
      problems: result.problems,
    },
    { status: result.ready ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
