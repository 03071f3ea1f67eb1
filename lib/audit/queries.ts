import "server-only";
import { and, desc, like, lt, type SQL } from "drizzle-orm";
import { db, schema } from "@/lib/db";

const l = schema.auditLog;

export const AUDIT_CATEGORIES = [
  "auth",
  "staff",
  "account",
  "sync",
  "people",
  "access",
  "audit",
  "apikey",
  "webhook",
] as const;
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];

export const AUDIT_PAGE_SIZE = 50;

/** One page of the log, newest first, continuing below `beforeId` (keyset, no OFFSET). */
export function listAudit({ category, beforeId }: { category?: AuditCategory; beforeId?: number }) {
  const where: SQL[] = [];
  if (category) where.push(like(l.action, `${category}.%`));
  if (beforeId) where.push(lt(l.id, beforeId));
  const rows = db()
    .select({
      id: l.id,
      at: l.at,
      actorEmail: l.actorEmail,
      action: l.action,
      targetType: l.targetType,
      targetLabel: l.targetLabel,
      details: l.details,
      ip: l.ip,
    })
    .from(l)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(l.id))
    .limit(AUDIT_PAGE_SIZE + 1)
    .all();
  const hasMore = rows.length > AUDIT_PAGE_SIZE;
  const page = rows.slice(0, AUDIT_PAGE_SIZE).map((row) => ({
    ...row,
    details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null,
  }));
  return { rows: page, nextBeforeId: hasMore ? page[page.length - 1]?.id : undefined };
}
