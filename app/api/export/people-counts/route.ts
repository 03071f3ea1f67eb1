import { recordAudit } from "@/lib/audit/record";
import { clientIp } from "@/lib/auth/client-ip";
import { authorize } from "@/lib/auth/session";
import { peopleCountsCsv } from "@/lib/people/queries";
import { malformedFilter, parsePeopleParams, peopleQuery } from "@/lib/people/filters";

/** GET /api/export/people-counts?<filters>: people per combination of accounts (admins and marketers). */
export async function GET(request: Request) {
  const authz = await authorize("people:export-counts", "GET /api/export/people-counts");
  if (!authz.ok) {
    return Response.json(
      {
        error: authz.reason === "signed_out" ? "Sign in first." : "Your role may not export audience counts.",
      },
      { status: authz.reason === "signed_out" ? 401 : 403 },
    );
  }
  const { filter, ignored } = parsePeopleParams(Object.fromEntries(new URL(request.url).searchParams));
  // The page drops a malformed parameter and says so; an export would silently cover a wider set.
  if (ignored.length) return malformedFilter(ignored);
  recordAudit({
    actor: authz.staff,
    action: "people.counts_exported",
    details: { filter: peopleQuery(filter) || "(all current followers)" },
    ip: clientIp(request.headers),
  });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(peopleCountsCsv(filter), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="unionview-audience-counts-${date}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
