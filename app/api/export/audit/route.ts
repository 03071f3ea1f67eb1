import { recordAudit } from "@/lib/audit/record";
import { AUDIT_CATEGORIES, listAudit, type AuditCategory } from "@/lib/audit/queries";
import { clientIp } from "@/lib/auth/client-ip";
import { authorize } from "@/lib/auth/session";
import { BOM, csvRow } from "@/lib/csv/write";

/** GET /api/export/audit[?category=auth]: the audit log as a streamed CSV (admin only). */
export async function GET(request: Request) {
  const authz = await authorize("audit:view", "GET /api/export/audit");
  if (!authz.ok) {
    return Response.json(
      { error: authz.reason === "signed_out" ? "Sign in first." : "Your role may not export the audit log." },
      { status: authz.reason === "signed_out" ? 401 : 403 },
    );
  }
  const param = new URL(request.url).searchParams.get("category");
  const category = AUDIT_CATEGORIES.find((c) => c === param) as AuditCategory | undefined;
  recordAudit({
    actor: authz.staff,
    action: "audit.exported",
    details: { category: category ?? "all" },
    ip: clientIp(request.headers),
  });

  const encoder = new TextEncoder();
  let beforeId: number | undefined;
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(
          encoder.encode(
            BOM + csvRow(["id", "at", "actor", "action", "target_type", "target", "details", "ip"]),
          ),
        );
      }
      const { rows, nextBeforeId } = listAudit({ category, beforeId });
      controller.enqueue(
        encoder.encode(
          rows
            .map((r) =>
              csvRow([
                r.id,
                r.at,
                r.actorEmail,
                r.action,
                r.targetType,
                r.targetLabel,
                r.details ? JSON.stringify(r.details) : "",
                r.ip,
              ]),
            )
            .join(""),
        ),
      );
      if (nextBeforeId === undefined) controller.close();
      else beforeId = nextBeforeId;
    },
  });
  const date = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="unionview-audit-${date}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
