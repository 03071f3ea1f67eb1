"use server";

import { eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { db, schema, sqlite } from "@/lib/db";
import { serverAction } from "@/lib/forms/action";
import { cancelRun, enqueueSync } from "./queue";
import { wakeWorker } from "./start-worker";

const startSchema = z.object({
  accountId: z.string().min(1),
  kind: z.enum(["incremental", "full"]).default("incremental"),
});

export const startSync = serverAction(
  {
    name: "startSync",
    permission: "syncs:run",
    messages: "syncs",
    schema: startSchema,
    invalid: { message: "errors.badRequest" },
    revalidate: () => ["/syncs"],
  },
  async ({ input, staff, t, audit }) => {
    const account = db()
      .select({ id: schema.accounts.id, name: schema.accounts.name, disabledAt: schema.accounts.disabledAt })
      .from(schema.accounts)
      .where(eq(schema.accounts.id, input.accountId))
      .get();
    if (!account) return { ok: false, message: t("errors.noAccount") };
    if (account.disabledAt) return { ok: false, message: t("errors.disabled", { name: account.name }) };
    const { runId, alreadyActive } = enqueueSync(sqlite(), {
      accountId: account.id,
      kind: input.kind,
      triggeredBy: staff.email,
    });
    if (!alreadyActive) {
      audit({
        action: "sync.started",
        target: { type: "account", id: account.id, label: account.name },
        details: { run: runId, kind: input.kind },
      });
    }
    wakeWorker();
    return {
      ok: true,
      warning: alreadyActive,
      message: alreadyActive
        ? t("alreadyActive", { name: account.name, run: runId })
        : t("queued", { name: account.name, run: runId }),
    };
  },
);

export const startAllSyncs = serverAction(
  {
    name: "startAllSyncs",
    permission: "syncs:run",
    messages: "syncs",
    // Anything but "full" is the default incremental sync.
    schema: z.object({ kind: z.string().optional() }),
    revalidate: () => ["/syncs"],
  },
  async ({ input, staff, t, audit }) => {
    const kind = input.kind === "full" ? "full" : "incremental";
    const accounts = db()
      .select({ id: schema.accounts.id })
      .from(schema.accounts)
      .where(isNull(schema.accounts.disabledAt))
      .all();
    if (accounts.length === 0) return { ok: false, message: t("errors.noAccounts") };
    let queued = 0;
    for (const account of accounts) {
      if (!enqueueSync(sqlite(), { accountId: account.id, kind, triggeredBy: staff.email }).alreadyActive)
        queued++;
    }
    audit({ action: "sync.started", details: { accounts: queued, kind } });
    wakeWorker();
    const total = accounts.length;
    if (queued === 0) return { ok: true, warning: true, message: t("queuedNone", { total }) };
    return {
      ok: true,
      message: queued === total ? t("queuedAll", { total }) : t("queuedSome", { queued, total }),
    };
  },
);

export const cancelSync = serverAction(
  {
    name: "cancelSync",
    permission: "syncs:cancel",
    messages: "syncs",
    schema: z.object({ runId: z.coerce.number().int().positive() }),
    invalid: { message: "errors.badRequest" },
    revalidate: (input) => ["/syncs", `/syncs/${input.runId}`],
  },
  async ({ input, t, audit }) => {
    const result = cancelRun(sqlite(), input.runId, Date.now());
    if (result === "finished") return { ok: false, message: t("errors.alreadyFinished") };
    audit({ action: "sync.cancelled", details: { run: input.runId } });
    return { ok: true, message: t(result === "cancelled" ? "cancelled" : "stopping", { run: input.runId }) };
  },
);
