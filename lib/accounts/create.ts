import "server-only";
import { eq } from "drizzle-orm";
import type { Locale } from "@/i18n/locales";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { db, schema } from "@/lib/db";
import { accountCreatedEntry } from "./audit";
import { recordTestOutcome, testCredentials, type ConnectionResult } from "./connection";
import { insertAccount, TooManyAccountsError, type NewAccount } from "./store";

export type AddAccountOutcome =
  | { ok: true; id: string; connection: ConnectionResult }
  /** `owner` is null when the other account vanished again before it could be named. */
  | { ok: false; problem: "appid-taken"; owner: string | null }
  | { ok: false; problem: "too-many" }
  /** WeChat refused the AppID or AppSecret: nothing is stored. */
  | { ok: false; problem: "credentials"; connection: Extract<ConnectionResult, { ok: false }> };

/** The name of the account that already has `appid`, if any. */
export function appidOwner(appid: string): string | null {
  const a = schema.accounts;
  return db().select({ name: a.name }).from(a).where(eq(a.appid, appid)).get()?.name ?? null;
}

function isUniqueAppidViolation(error: unknown): boolean {
  return error instanceof Error && /UNIQUE constraint failed: accounts\.appid/.test(error.message);
}

/**
 * Adding an account, for the form and the CLI alike: the appid must be free, the credentials are tested
 * with WeChat before anything is stored (a refused AppID/AppSecret stores nothing; any other failure
 * stores the account and says so), then the row is sealed and written, audited and its test recorded.
 */
export async function addAccount(
  input: NewAccount,
  by: { actor: AuditActor | null; ip?: string | null; via: "form" | "cli"; locale: Locale },
): Promise<AddAccountOutcome> {
  const owner = appidOwner(input.appid);
  if (owner !== null) return { ok: false, problem: "appid-taken", owner };
  const connection = await testCredentials(input.appid, input.appsecret, by.locale);
  if (!connection.ok && connection.field) return { ok: false, problem: "credentials", connection };
  let id: string;
  try {
    id = insertAccount(input);
  } catch (error) {
    // Another admin saved the same appid between the check above and this write.
    if (isUniqueAppidViolation(error))
      return { ok: false, problem: "appid-taken", owner: appidOwner(input.appid) };
    if (error instanceof TooManyAccountsError) return { ok: false, problem: "too-many" };
    throw error;
  }
  const entry = accountCreatedEntry(id, input);
  recordAudit({
    actor: by.actor,
    ...entry,
    details: by.via === "cli" ? { via: "cli", ...entry.details } : entry.details,
    ip: by.ip ?? null,
  });
  recordTestOutcome(input.appid, connection);
  return { ok: true, id, connection };
}
