"use server";

import { eq, isNull } from "drizzle-orm";
import { getTranslations } from "next-intl/server";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import { clientIp } from "@/lib/auth/client-ip";
import { authorize } from "@/lib/auth/session";
import { db, schema, sqlite } from "@/lib/db";
import { deniedResult } from "@/lib/forms/denied";
import type { ActionResult } from "@/lib/forms/result";
import { cancelRun, enqueueSync } from "./queue";
import { wakeWorker } from "./start-worker";

const startSchema = z.object({
  accountId: z.string().min(1),
  kind: z.enum(["incremental", "full"]).default("incremental"),
});

export async function startSync(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("syncs:run", "startSync");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("syncs");
  const parsed = startSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t("errors.badRequest") };
  const account = db()
    .select({ id: schema.accounts.id, name: schema.accounts.name, disabledAt: schema.accounts.disabledAt })
    .from(schema.accounts)
    .where(eq(schema.accounts.id, parsed.data.accountId))
    .get();
  if (!account) return { ok: false, message: t("errors.noAccount") };
  if (account.disabledAt) return { ok: false, message: t("errors.disabled", { name: account.name }) };
  const { runId, alreadyActive } = enqueueSync(sqlite(), {
    accountId: account.id,
    kind: parsed.data.kind,
    triggeredBy: authz.staff.email,
  });
  if (!alreadyActive) {
    recordAudit({
      actor: authz.staff,
      action: "sync.started",
      target: { type: "account", id: account.id, label: account.name },
      details: { run: runId, kind: parsed.data.kind },
      ip: clientIp(await headers()),
    });
  }
  wakeWorker();
  revalidatePath("/syncs");
  return {
    ok: true,
    warning: alreadyActive,
    message: alreadyActive
      ? t("alreadyActive", { name: account.name, run: runId })
      : t("queued", { name: account.name, run: runId }),
  };
}

export async function startAllSyncs(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("syncs:run", "startAllSyncs");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("syncs");
  const kind = formData.get("kind") === "full" ? "full" : "incremental";
  const accounts = db()
    .select({ id: schema.accounts.id })
    .from(schema.accounts)
    .where(isNull(schema.accounts.disabledAt))
    .all();
  if (accounts.length === 0) return { ok: false, message: t("errors.noAccounts") };
  let queued = 0;
  for (const account of accounts) {
    if (!enqueueSync(sqlite(), { accountId: account.id, kind, triggeredBy: authz.staff.email }).alreadyActive)
      queued++;
  }
  recordAudit({
    actor: authz.staff,
    action: "sync.started",
    details: { accounts: queued, kind },
    ip: clientIp(await headers()),
  });
  wakeWorker();
  revalidatePath("/syncs");
  const total = accounts.length;
  if (queued === 0) return { ok: true, warning: true, message: t("queuedNone", { total }) };
  return {
    ok: true,
    message: queued === total ? t("queuedAll", { total }) : t("queuedSome", { queued, total }),
  };
}

export async function cancelSync(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("syncs:cancel", "cancelSync");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("syncs");
  const runId = Number(formData.get("runId"));
  if (!Number.isInteger(runId) || runId <= 0) return { ok: false, message: t("errors.badRequest") };
  const result = cancelRun(sqlite(), runId, Date.now());
  if (result === "finished") return { ok: false, message: t("errors.alreadyFinished") };
  recordAudit({
    actor: authz.staff,
    action: "sync.cancelled",
    details: { run: runId },
    ip: clientIp(await headers()),
  });
  revalidatePath("/syncs");
  revalidatePath(`/syncs/${runId}`);
  return { ok: true, message: t(result === "cancelled" ? "cancelled" : "stopping", { run: runId }) };
}
