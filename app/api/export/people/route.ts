import { recordAudit } from "@/lib/audit/record";
import { clientIp } from "@/lib/auth/client-ip";
import { authorize } from "@/lib/auth/session";
import { peopleCsvExport } from "@/lib/people/queries";
import { malformedFilter, parsePeopleParams, peopleQuery } from "@/lib/people/filters";

/** GET /api/export/people?<people list filters>: every matching person as streamed CSV (admin only, audited). */
export async function GET(request: Request) {
  const authz = await authorize("people:export", "GET /api/export/people");
  if (!authz.ok) {
    return Response.json(
      {
        error:
          authz.reason === "signed_out"
            ? "Sign in first."
            : "Your role may not export person-level data. Marketers can export the aggregate counts instead.",
      },
      { status: authz.reason === "signed_out" ? 401 : 403 },
    );
  }
  const { filter, ignored } = parsePeopleParams(Object.fromEntries(new URL(request.url).searchParams));
  // The page drops a malformed parameter and says so; an export would silently cover a wider set.
  if (ignored.length) return malformedFilter(ignored);
  recordAudit({
    actor: authz.staff,
    action: "people.exported",
    details: { filter: peopleQuery(filter) || "(all current followers)" },
    ip: clientIp(request.headers),
  });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(peopleCsvExport(filter), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="unionview-people-${date}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
