import "server-only";
import { randomUUID } from "node:crypto";
import { db, schema } from "@/lib/db";
import { sealAccountSecret } from "./secret-box";

export interface NewAccount {
  name: string;
  appid: string;
  originalId: string;
  boundToOpenPlatform: boolean;
  appsecret: string;
  pushToken?: string;
  aesKey?: string;
}

/** people.accounts_mask is a 31-bit integer: one bit per account. */
export const MAX_ACCOUNTS = 31;

export class TooManyAccountsError extends Error {
  override name = "TooManyAccountsError";
}

function freeSlot(): number {
  const used = new Set(
    db()
      .select({ slot: schema.accounts.slot })
      .from(schema.accounts)
      .all()
      .map((r) => r.slot),
  );
  for (let slot = 0; slot < MAX_ACCOUNTS; slot++) if (!used.has(slot)) return slot;
  throw new TooManyAccountsError(`UnionView supports at most ${MAX_ACCOUNTS} accounts.`);
}

/** Stores an account with its secrets sealed; used by the form's action, the CLI and the demo seed. */
export function insertAccount(input: NewAccount): string {
  const id = randomUUID();
  db()
    .insert(schema.accounts)
    .values({
      id,
      slot: freeSlot(),
      name: input.name,
      appid: input.appid,
      originalId: input.originalId,
      boundToOpenPlatform: input.boundToOpenPlatform,
      appsecretSealed: sealAccountSecret(id, "appsecret", input.appsecret),
      pushTokenSealed: input.pushToken ? sealAccountSecret(id, "push_token", input.pushToken) : null,
      aesKeySealed: input.aesKey ? sealAccountSecret(id, "aes_key", input.aesKey) : null,
    })
    .run();
  return id;
}
