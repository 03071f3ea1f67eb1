import type { AuditEntry } from "@/lib/audit/record";

/** The audit entry for a new account (form or CLI): which credentials were set, never their values. */
export function accountCreatedEntry(
  id: string,
  input: { name: string; appid: string; boundToOpenPlatform: boolean; pushToken?: string; aesKey?: string },
): Pick<AuditEntry, "action" | "target"> & { details: NonNullable<AuditEntry["details"]> } {
  return {
    action: "account.created",
    target: { type: "account", id, label: `${input.name} (${input.appid})` },
    details: {
      appid: input.appid,
      boundToOpenPlatform: input.boundToOpenPlatform,
      credentialsSet: [
        "appsecret",
        ...(input.pushToken ? ["push_token"] : []),
        ...(input.aesKey ? ["aes_key"] : []),
      ],
    },
  };
}
