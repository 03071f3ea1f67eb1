import "server-only";
import type { Messages, NamespaceKeys, NestedKeyOf } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import type { z } from "zod";
import { toLocale, type Locale } from "@/i18n/locales";
import { recordAudit, type AuditEntry } from "@/lib/audit/record";
import { clientIp } from "@/lib/auth/client-ip";
import type { Permission } from "@/lib/auth/roles";
import { authorize, type StaffSession } from "@/lib/auth/session";
import { deniedResult, invalidForm } from "./denied";
import type { ActionResult } from "./result";

/** A message namespace of messages/*.json (e.g. "accounts", "syncs.schedule"). */
type Namespace = NamespaceKeys<Messages, NestedKeyOf<Messages>>;
export type Translate<N extends Namespace> = Awaited<ReturnType<typeof getTranslations<N>>>;

/** What an action's body gets: its parsed input, who asked, words in their language and the audit log. */
export interface ActionContext<I, N extends Namespace> {
  input: I;
  staff: StaffSession;
  t: Translate<N>;
  locale: Locale;
  /** The client's address, for audit entries written elsewhere. */
  ip: string | null;
  /** Writes an audit entry with this staff member as the actor and the request's IP. */
  audit(entry: Omit<AuditEntry, "actor" | "ip">): void;
}

export interface ActionOptions<S extends z.ZodType, N extends Namespace> {
  /** Named in the audit entry of a refusal. */
  name: string;
  permission: Permission;
  /** Messages the body's `t` reads. */
  messages: N;
  schema: S;
  /** What the schema parses (default: the form's fields, one value each). */
  fields?: (formData: FormData) => unknown;
  /**
   * What a malformed form gets: "form" = each field's message (`<messages>.errors.<zod message>`) and
   * `errors.fixFields`; a key of `messages` = that one sentence (for forms whose fields are hidden inputs);
   * or a function for anything else.
   */
  invalid?: "form" | ((error: z.ZodError, t: Translate<N>) => ActionResult) | { message: string };
  /** Paths whose cached pages change when the action succeeds. */
  revalidate?: (input: z.output<S>) => string[];
}

/**
 * The one way to write a server action: permission (refusals audited by authorize()), zod parse of the
 * form, the body's work, audit (through the context), revalidation of the pages it changed, and a typed
 * {@link ActionResult}. The body is only the action's own work; errors it throws (and redirect()) pass.
 */
export function serverAction<S extends z.ZodType, N extends Namespace>(
  options: ActionOptions<S, N>,
  work: (context: ActionContext<z.output<S>, N>) => Promise<ActionResult>,
): (prev: ActionResult, formData: FormData) => Promise<ActionResult> {
  return async (_prev, formData) => {
    const authz = await authorize(options.permission, options.name);
    if (!authz.ok) return deniedResult(authz);
    const t = await getTranslations(options.messages);
    const parsed = options.schema.safeParse((options.fields ?? Object.fromEntries)(formData));
    if (!parsed.success) {
      const invalid = options.invalid ?? "form";
      if (invalid === "form") {
        const translate = t as unknown as (key: string) => string;
        return invalidForm(parsed.error, (k) => translate(`errors.${k}`), translate("errors.fixFields"));
      }
      if (typeof invalid === "function") return invalid(parsed.error, t);
      return { ok: false, message: (t as unknown as (key: string) => string)(invalid.message) };
    }
    const ip = clientIp(await headers());
    const input = parsed.data as z.output<S>;
    const result = await work({
      input,
      staff: authz.staff,
      t,
      locale: toLocale(await getLocale()),
      ip,
      audit: (entry) => recordAudit({ ...entry, actor: authz.staff, ip }),
    });
    if (result.ok) for (const path of options.revalidate?.(input) ?? []) revalidatePath(path);
    return result;
  };
}
