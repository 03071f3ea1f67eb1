"use server";

import { eq } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { db, schema, sqlite } from "@/lib/db";
import { deleteAccountData } from "@/lib/followers/account-data";
import { serverAction, type Translate } from "@/lib/forms/action";
import { fieldError } from "@/lib/forms/denied";
import { setFlash } from "@/lib/forms/flash";
import type { ActionResult } from "@/lib/forms/result";
import { addAccount, appidOwner } from "./create";
import { recordTestOutcome, testCredentials, testStoredAccount, type ConnectionResult } from "./connection";
import { keyProblemMessage, secretKeyStatus } from "./key-check";
import { getAccount } from "./queries";
import { createAccountSchema, deleteAccountSchema, updateAccountSchema } from "./schema";
import { openAccountSecret, sealAccountSecret } from "./secret-box";
import { MAX_ACCOUNTS } from "./store";
import { credentialsTouched, planAccountUpdate, type AccountUpdatePlan } from "./update";

const a = schema.accounts;

/** The refusal when another account already has this appid (`owner` null: it vanished again meanwhile). */
function appidTaken(t: Translate<"accounts">, owner: string | null): ActionResult {
  return fieldError("appid", t("errors.appidTaken", { name: owner ?? "?" }), t("errors.fixFields"));
}

function refusedCredentials(connection: Extract<ConnectionResult, { ok: false }>): ActionResult {
  return { ok: false, message: connection.message, errors: { [connection.field!]: [connection.message] } };
}

function isUniqueAppidViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed: accounts\.appid/.test(error.message);
}

function storedAppsecret(id: string): string {
  const row = db().select({ sealed: a.appsecretSealed }).from(a).where(eq(a.id, id)).get();
  return row ? openAccountSecret(id, "appsecret", row.sealed) : "";
}

/** The account row's new values for a plan (secrets sealed under the account's id). */
function updatedColumns(id: string, plan: AccountUpdatePlan): Partial<typeof a.$inferInsert> {
  const now = new Date();
  const sealed = (field: "appsecret" | "push_token" | "aes_key") => {
    const value = plan.replace[field];
    if (value !== undefined) return sealAccountSecret(id, field, value);
    return plan.remove.includes(field) ? null : undefined;
  };
  const columns: Partial<typeof a.$inferInsert> = { ...plan.fields, updatedAt: now };
  const appsecret = sealed("appsecret");
  if (appsecret) columns.appsecretSealed = appsecret;
  const pushToken = sealed("push_token");
  if (pushToken !== undefined) columns.pushTokenSealed = pushToken;
  const aesKey = sealed("aes_key");
  if (aesKey !== undefined) columns.aesKeySealed = aesKey;
  if (credentialsTouched(plan).length) columns.secretsUpdatedAt = now;
  return columns;
}

export const createAccount = serverAction(
  {
    name: "createAccount",
    permission: "accounts:manage",
    messages: "accounts",
    schema: createAccountSchema,
    revalidate: () => ["/accounts"],
  },
  async ({ input, staff, t, locale, ip }) => {
    const keyStatus = secretKeyStatus();
    if (!keyStatus.ok) return { ok: false, message: await keyProblemMessage(keyStatus) };
    const outcome = await addAccount(input, { actor: staff, ip, via: "form", locale });
    if (!outcome.ok) {
      if (outcome.problem === "appid-taken") return appidTaken(t, outcome.owner);
      if (outcome.problem === "too-many")
        return { ok: false, message: t("errors.tooMany", { max: MAX_ACCOUNTS }) };
      return refusedCredentials(outcome.connection);
    }
    return outcome.connection.ok
      ? { ok: true, message: t("createdConnected", { name: input.name }) }
      : {
          ok: true,
          warning: true,
          message: t("createdNotConnected", { name: input.name, reason: outcome.connection.message }),
        };
  },
);

export const updateAccount = serverAction(
  {
    name: "updateAccount",
    permission: "accounts:manage",
    messages: "accounts",
    schema: updateAccountSchema,
    revalidate: (input) => ["/accounts", `/accounts/${input.id}`],
  },
  async ({ input, t, locale, audit }) => {
    const current = getAccount(input.id);
    if (!current) return { ok: false, message: t("errors.notFound") };
    const owner = appidOwner(input.appid);
    if (owner !== null && input.appid !== current.appid) return appidTaken(t, owner);

    const plan = planAccountUpdate(current, input);
    if (plan.aesKeyWithoutToken)
      return fieldError("pushToken", t("errors.aesKeyNeedsToken"), t("errors.fixFields"));
    // A new appid is tested with the stored appsecret, which the wrong key cannot open.
    const keyStatus = secretKeyStatus();
    if ((plan.touchesSecrets || plan.credentialsChanged) && !keyStatus.ok)
      return { ok: false, message: await keyProblemMessage(keyStatus) };

    let test: ConnectionResult | null = null;
    if (plan.credentialsChanged) {
      test = await testCredentials(input.appid, input.appsecret ?? storedAppsecret(input.id), locale);
      if (!test.ok && test.field) return refusedCredentials(test);
    }
    if (plan.nothing) return { ok: true, message: t("nothingChanged") };

    try {
      db().update(a).set(updatedColumns(input.id, plan)).where(eq(a.id, input.id)).run();
    } catch (error) {
      // Another admin saved the same appid between the check above and this write.
      if (isUniqueAppidViolation(error)) return appidTaken(t, appidOwner(input.appid));
      throw error;
    }

    const target = { type: "account" as const, id: input.id, label: `${input.name} (${input.appid})` };
    const changed = Object.keys(plan.fields) as (keyof typeof plan.fields)[];
    if (changed.length) {
      const from = Object.fromEntries(changed.map((f) => [`${f}.from`, String(current[f])]));
      const to = Object.fromEntries(changed.map((f) => [`${f}.to`, String(input[f])]));
      audit({ action: "account.updated", target, details: { ...from, ...to } });
    }
    const credentials = credentialsTouched(plan);
    if (credentials.length)
      audit({ action: "account.credentials_replaced", target, details: { fields: credentials } });
    if (test) recordTestOutcome(input.appid, test);
    if (test && !test.ok)
      return {
        ok: true,
        warning: true,
        message: t("savedNotConnected", { name: input.name, reason: test.message }),
      };
    return { ok: true, message: t(test ? "savedConnected" : "saved", { name: input.name }) };
  },
);

const disableSchema = z.object({ id: z.string().min(1), disabled: z.enum(["true", "false"]) });

export const setAccountDisabled = serverAction(
  {
    name: "setAccountDisabled",
    permission: "accounts:manage",
    messages: "accounts",
    schema: disableSchema,
    invalid: { message: "errors.notFound" },
    revalidate: (input) => ["/accounts", `/accounts/${input.id}`],
  },
  async ({ input, t, audit }) => {
    const current = getAccount(input.id);
    if (!current) return { ok: false, message: t("errors.notFound") };
    const disable = input.disabled === "true";
    db()
      .update(a)
      .set({ disabledAt: disable ? new Date() : null, updatedAt: new Date() })
      .where(eq(a.id, current.id))
      .run();
    audit({
      action: disable ? "account.disabled" : "account.enabled",
      target: { type: "account", id: current.id, label: `${current.name} (${current.appid})` },
    });
    return { ok: true, message: t(disable ? "disabledToast" : "enabledToast", { name: current.name }) };
  },
);

export const deleteAccount = serverAction(
  {
    name: "deleteAccount",
    permission: "accounts:manage",
    messages: "accounts",
    schema: deleteAccountSchema,
    invalid: { message: "errors.notFound" },
  },
  async ({ input, t, audit }) => {
    const current = getAccount(input.id);
    if (!current) return { ok: false, message: t("errors.notFound") };
    if (input.confirmName.trim() !== current.name) {
      return {
        ok: false,
        errors: { confirmName: [t("errors.confirmNameMismatch")] },
        message: t("errors.confirmNameMismatch"),
      };
    }
    const slot = db().select({ slot: a.slot }).from(a).where(eq(a.id, current.id)).get()?.slot ?? 0;
    const handle = sqlite();
    handle
      .transaction(() => {
        deleteAccountData(handle, current.id, slot);
        handle.prepare("DELETE FROM accounts WHERE id = ?").run(current.id);
        // Its cached access token still works for up to 2 h: nothing of the account's credentials stays.
        handle.prepare("DELETE FROM access_tokens WHERE appid = ?").run(current.appid);
      })
      .immediate();
    audit({
      action: "account.deleted",
      target: { type: "account", id: current.id, label: `${current.name} (${current.appid})` },
      details: { appid: current.appid },
    });
    revalidatePath("/accounts");
    await setFlash(t("deleted", { name: current.name }));
    redirect("/accounts");
  },
);

export const testAccountConnection = serverAction(
  {
    name: "testAccountConnection",
    permission: "accounts:manage",
    messages: "accounts",
    schema: z.object({ id: z.string().min(1) }),
    invalid: { message: "errors.notFound" },
    revalidate: (input) => [`/accounts/${input.id}`],
  },
  async ({ input, t, locale }) => {
    const keyStatus = secretKeyStatus();
    if (!keyStatus.ok) return { ok: false, message: await keyProblemMessage(keyStatus) };
    const result = await testStoredAccount(input.id, locale);
    if (!result) return { ok: false, message: t("errors.notFound") };
    return result.ok
      ? { ok: true, message: t("connection.ok", { remain: result.remain, limit: result.dailyLimit }) }
      : { ok: false, message: result.message };
  },
);

const scheduleSchema = z.object({
  id: z.string().min(1),
  schedule: z.enum(["off", "hourly", "daily"]),
  scheduleTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
});

export const updateSchedule = serverAction(
  {
    name: "updateSchedule",
    permission: "accounts:manage",
    messages: "syncs",
    schema: scheduleSchema,
    invalid: (_error, t) => fieldError("scheduleTime", t("schedule.badTime")),
    revalidate: (input) => [`/accounts/${input.id}`],
  },
  async ({ input, t, audit }) => {
    const current = getAccount(input.id);
    if (!current) return { ok: false, message: t("errors.noAccount") };
    db()
      .update(a)
      .set({ schedule: input.schedule, scheduleTime: input.scheduleTime, updatedAt: new Date() })
      .where(eq(a.id, current.id))
      .run();
    audit({
      action: "account.updated",
      target: { type: "account", id: current.id, label: `${current.name} (${current.appid})` },
      details: { schedule: input.schedule, scheduleTime: input.scheduleTime },
    });
    return { ok: true, message: t("schedule.saved", { name: current.name }) };
  },
);
