"use server";

import { and, eq, ne } from "drizzle-orm";
import { getTranslations } from "next-intl/server";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { accountCreatedEntry } from "./audit";
import { recordAudit } from "@/lib/audit/record";
import { clientIp } from "@/lib/auth/client-ip";
import { authorize } from "@/lib/auth/session";
import { db, schema, sqlite } from "@/lib/db";
import { deniedResult, fieldError, invalidForm } from "@/lib/forms/denied";
import { setFlash } from "@/lib/forms/flash";
import type { ActionResult } from "@/lib/forms/result";
import { deleteAccountData } from "@/lib/followers/account-data";
import { recordTestOutcome, testCredentials, testStoredAccount, type ConnectionResult } from "./connection";
import { keyProblemMessage, secretKeyStatus } from "./key-check";
import { getAccount } from "./queries";
import { createAccountSchema, deleteAccountSchema, updateAccountSchema } from "./schema";
import { openAccountSecret, sealAccountSecret } from "./secret-box";
import { insertAccount, MAX_ACCOUNTS, TooManyAccountsError } from "./store";

const a = schema.accounts;

function isUniqueAppidViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed: accounts\.appid/.test(error.message);
}

type Translate = Awaited<ReturnType<typeof getTranslations<"accounts">>>;

/** The owner vanished again before we could name it: still refuse, without a name. */
function appidRace(t: Translate): ActionResult {
  return fieldError("appid", t("errors.appidTaken", { name: "?" }), t("errors.fixFields"));
}

/** The refusal when another account already has this appid. */
function appidTaken(t: Translate, appid: string, exceptId?: string): ActionResult | null {
  const owner = db()
    .select({ name: a.name })
    .from(a)
    .where(exceptId ? and(eq(a.appid, appid), ne(a.id, exceptId)) : eq(a.appid, appid))
    .get();
  return owner
    ? fieldError("appid", t("errors.appidTaken", { name: owner.name }), t("errors.fixFields"))
    : null;
}

function storedAppsecret(id: string): string {
  const row = db().select({ sealed: a.appsecretSealed }).from(a).where(eq(a.id, id)).get();
  return row ? openAccountSecret(id, "appsecret", row.sealed) : "";
}

export async function createAccount(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("accounts:manage", "createAccount");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("accounts");

  const keyStatus = secretKeyStatus();
  if (!keyStatus.ok) return { ok: false, message: await keyProblemMessage(keyStatus) };

  const parsed = createAccountSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success)
    return invalidForm(parsed.error, (k) => t(`errors.${k}` as never), t("errors.fixFields"));
  const input = parsed.data;
  const taken = appidTaken(t, input.appid);
  if (taken) return taken;

  const test = await testCredentials(input.appid, input.appsecret);
  if (!test.ok && test.field) {
    return { ok: false, message: test.message, errors: { [test.field]: [test.message] } };
  }

  let id: string;
  try {
    id = insertAccount(input);
  } catch (error) {
    // Another admin saved the same appid between the check above and this write.
    if (isUniqueAppidViolation(error)) return appidTaken(t, input.appid) ?? appidRace(t);
    if (error instanceof TooManyAccountsError)
      return { ok: false, message: t("errors.tooMany", { max: MAX_ACCOUNTS }) };
    throw error;
  }

  recordAudit({ actor: authz.staff, ...accountCreatedEntry(id, input), ip: clientIp(await headers()) });
  recordTestOutcome(input.appid, test);
  revalidatePath("/accounts");
  return test.ok
    ? { ok: true, message: t("createdConnected", { name: input.name }) }
    : {
        ok: true,
        warning: true,
        message: t("createdNotConnected", { name: input.name, reason: test.message }),
      };
}

export async function updateAccount(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("accounts:manage", "updateAccount");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("accounts");

  const parsed = updateAccountSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success)
    return invalidForm(parsed.error, (k) => t(`errors.${k}` as never), t("errors.fixFields"));
  const input = parsed.data;
  const current = getAccount(input.id);
  if (!current) return { ok: false, message: t("errors.notFound") };

  const taken = appidTaken(t, input.appid, input.id);
  if (taken) return taken;
  const willHaveToken = input.pushToken ? true : input.removePushToken ? false : current.hasPushToken;
  const willHaveAesKey = input.aesKey ? true : input.removeAesKey ? false : current.hasAesKey;
  if (willHaveAesKey && !willHaveToken) {
    return fieldError("pushToken", t("errors.aesKeyNeedsToken"), t("errors.fixFields"));
  }

  const replacing = Boolean(input.appsecret || input.pushToken || input.aesKey);
  const credentialsChanged = Boolean(input.appsecret) || input.appid !== current.appid;
  // A new appid is tested with the stored appsecret, which the wrong key cannot open.
  const keyStatus = secretKeyStatus();
  if ((replacing || credentialsChanged) && !keyStatus.ok)
    return { ok: false, message: await keyProblemMessage(keyStatus) };

  let test: ConnectionResult | null = null;
  if (credentialsChanged) {
    const secret = input.appsecret ?? storedAppsecret(input.id);
    test = await testCredentials(input.appid, secret);
    if (!test.ok && test.field)
      return { ok: false, message: test.message, errors: { [test.field]: [test.message] } };
  }

  const changes: Partial<typeof a.$inferInsert> = {};
  const editable = ["name", "appid", "originalId", "boundToOpenPlatform"] as const;
  const changed: (typeof editable)[number][] = [];
  for (const field of editable) {
    if (current[field] !== input[field]) {
      (changes as Record<string, unknown>)[field] = input[field];
      changed.push(field);
    }
  }
  const credentials: string[] = [];
  if (input.appsecret) {
    changes.appsecretSealed = sealAccountSecret(input.id, "appsecret", input.appsecret);
    credentials.push("appsecret");
  }
  if (input.pushToken) {
    changes.pushTokenSealed = sealAccountSecret(input.id, "push_token", input.pushToken);
    credentials.push("push_token");
  } else if (input.removePushToken && current.hasPushToken) {
    changes.pushTokenSealed = null;
    credentials.push("push_token (removed)");
  }
  if (input.aesKey) {
    changes.aesKeySealed = sealAccountSecret(input.id, "aes_key", input.aesKey);
    credentials.push("aes_key");
  } else if (input.removeAesKey && current.hasAesKey) {
    changes.aesKeySealed = null;
    credentials.push("aes_key (removed)");
  }
  if (changed.length === 0 && credentials.length === 0) return { ok: true, message: t("nothingChanged") };

  const now = new Date();
  try {
    db()
      .update(a)
      .set({ ...changes, updatedAt: now, ...(credentials.length ? { secretsUpdatedAt: now } : {}) })
      .where(eq(a.id, input.id))
      .run();
  } catch (error) {
    // Another admin saved the same appid between the check above and this write.
    if (isUniqueAppidViolation(error)) return appidTaken(t, input.appid, input.id) ?? appidRace(t);
    throw error;
  }

  const ip = clientIp(await headers());
  const target = { type: "account" as const, id: input.id, label: `${input.name} (${input.appid})` };
  if (changed.length) {
    const from = Object.fromEntries(changed.map((f) => [`${f}.from`, String(current[f])]));
    const to = Object.fromEntries(changed.map((f) => [`${f}.to`, String(input[f])]));
    recordAudit({ actor: authz.staff, action: "account.updated", target, details: { ...from, ...to }, ip });
  }
  if (credentials.length) {
    recordAudit({
      actor: authz.staff,
      action: "account.credentials_replaced",
      target,
      details: { fields: credentials },
      ip,
    });
  }
  if (test) recordTestOutcome(input.appid, test);
  revalidatePath("/accounts");
  revalidatePath(`/accounts/${input.id}`);
  if (test && !test.ok)
    return {
      ok: true,
      warning: true,
      message: t("savedNotConnected", { name: input.name, reason: test.message }),
    };
  return { ok: true, message: t(test ? "savedConnected" : "saved", { name: input.name }) };
}

const idSchema = z.object({ id: z.string().min(1), disabled: z.enum(["true", "false"]) });

export async function setAccountDisabled(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("accounts:manage", "setAccountDisabled");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("accounts");
  const parsed = idSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t("errors.notFound") };
  const current = getAccount(parsed.data.id);
  if (!current) return { ok: false, message: t("errors.notFound") };
  const disable = parsed.data.disabled === "true";
  db()
    .update(a)
    .set({ disabledAt: disable ? new Date() : null, updatedAt: new Date() })
    .where(eq(a.id, current.id))
    .run();
  recordAudit({
    actor: authz.staff,
    action: disable ? "account.disabled" : "account.enabled",
    target: { type: "account", id: current.id, label: `${current.name} (${current.appid})` },
    ip: clientIp(await headers()),
  });
  revalidatePath("/accounts");
  revalidatePath(`/accounts/${current.id}`);
  return { ok: true, message: t(disable ? "disabledToast" : "enabledToast", { name: current.name }) };
}

export async function deleteAccount(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("accounts:manage", "deleteAccount");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("accounts");
  const parsed = deleteAccountSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: t("errors.notFound") };
  const current = getAccount(parsed.data.id);
  if (!current) return { ok: false, message: t("errors.notFound") };
  if (parsed.data.confirmName.trim() !== current.name) {
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
  recordAudit({
    actor: authz.staff,
    action: "account.deleted",
    target: { type: "account", id: current.id, label: `${current.name} (${current.appid})` },
    details: { appid: current.appid },
    ip: clientIp(await headers()),
  });
  revalidatePath("/accounts");
  await setFlash(t("deleted", { name: current.name }));
  redirect("/accounts");
}

export async function testAccountConnection(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("accounts:manage", "testAccountConnection");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("accounts");
  const keyStatus = secretKeyStatus();
  if (!keyStatus.ok) return { ok: false, message: await keyProblemMessage(keyStatus) };
  const result = await testStoredAccount(String(formData.get("id") ?? ""));
  if (!result) return { ok: false, message: t("errors.notFound") };
  revalidatePath(`/accounts/${String(formData.get("id"))}`);
  return result.ok
    ? { ok: true, message: t("connection.ok", { remain: result.remain, limit: result.dailyLimit }) }
    : { ok: false, message: result.message };
}

const scheduleSchema = z.object({
  id: z.string().min(1),
  schedule: z.enum(["off", "hourly", "daily"]),
  scheduleTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
});

export async function updateSchedule(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const authz = await authorize("accounts:manage", "updateSchedule");
  if (!authz.ok) return deniedResult(authz);
  const t = await getTranslations("syncs.schedule");
  const parsed = scheduleSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return fieldError("scheduleTime", t("badTime"));
  const current = getAccount(parsed.data.id);
  if (!current) return { ok: false, message: (await getTranslations("accounts"))("errors.notFound") };
  db()
    .update(a)
    .set({ schedule: parsed.data.schedule, scheduleTime: parsed.data.scheduleTime, updatedAt: new Date() })
    .where(eq(a.id, current.id))
    .run();
  recordAudit({
    actor: authz.staff,
    action: "account.updated",
    target: { type: "account", id: current.id, label: `${current.name} (${current.appid})` },
    details: { schedule: parsed.data.schedule, scheduleTime: parsed.data.scheduleTime },
    ip: clientIp(await headers()),
  });
  revalidatePath(`/accounts/${current.id}`);
  return { ok: true, message: t("saved", { name: current.name }) };
}
