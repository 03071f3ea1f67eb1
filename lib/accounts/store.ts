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

/** Stores an account with its secrets sealed; used by the form's action and the demo seed. */
export function insertAccount(input: NewAccount): string {
  const id = randomUUID();
  db()
    .insert(schema.accounts)
    .values({
      id,
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
