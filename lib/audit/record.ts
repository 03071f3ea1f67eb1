import "server-only";
import { db, schema } from "@/lib/db";

export type AuditAction =
  | "auth.sign_in"
  | "auth.sign_in_failed"
  | "auth.locked"
  | "auth.throttled"
  | "auth.sign_out"
  | "access.denied"
  | "audit.exported"
  | "sync.started"
  | "sync.cancelled"
  | "staff.created"
  | "staff.role_changed"
  | "staff.disabled"
  | "staff.enabled"
  | "staff.password_reset"
  | "account.created"
  | "account.updated"
  | "account.credentials_replaced"
  | "account.disabled"
  | "account.enabled"
  | "account.deleted"
  | "people.remark_updated"
  | "people.exported"
  | "people.counts_exported"
  | "system.backup"
  | "apikey.created"
  | "apikey.revoked"
  | "webhook.created"
  | "webhook.deleted"
  | "webhook.redelivered";

export interface AuditActor {
  id: number | null;
  email: string | null;
}

export interface AuditEntry {
  actor: AuditActor | null;
  action: AuditAction;
  target?: {
    type: "staff" | "account" | "session" | "page" | "sync" | "person" | "apikey" | "webhook";
    id?: string | number;
    label?: string;
  };
  details?: Record<string, string | number | boolean | string[] | null>;
  ip?: string | null;
}

/** Keys whose values are never written, even if a caller passes them by mistake. */
const SECRET_KEY = /secret|password|token|aes|key|hash/i;

export function redactDetails(details: AuditEntry["details"]): AuditEntry["details"] {
  if (!details) return details;
  return Object.fromEntries(
    Object.entries(details).map(([key, value]) => [key, SECRET_KEY.test(key) ? "[redacted]" : value]),
  );
}

export function recordAudit(entry: AuditEntry): void {
  const details = redactDetails(entry.details);
  db()
    .insert(schema.auditLog)
    .values({
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? null,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id === undefined ? null : String(entry.target.id),
      targetLabel: entry.target?.label ?? null,
      details: details && Object.keys(details).length > 0 ? JSON.stringify(details) : null,
      ip: entry.ip ?? null,
    })
    .run();
}
