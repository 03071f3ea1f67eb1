import "server-only";
import { eq } from "drizzle-orm";
import { openAccountSecret, secretBox } from "./secret-box";
import { db, schema } from "@/lib/db";
import { env } from "@/lib/env";
import { WeChatClient, type WeChatClientOptions } from "@/lib/wechat/client";
import type { TokenCodec } from "@/lib/wechat/token-store";

/** Access tokens are sealed like the other secrets, bound to their appid. */
export function tokenCodec(): TokenCodec {
  return {
    seal: (token, appid) => secretBox().seal(token, `token/${appid}`),
    open: (sealed, appid) => secretBox().open(sealed, `token/${appid}`),
  };
}

/** A client for a stored account; its secret is opened only when a token must be fetched. */
export function clientForAccount(
  accountId: string,
  options: Partial<Pick<WeChatClientOptions, "semaphore" | "onCall" | "concurrency">> = {},
): WeChatClient | null {
  const row = db()
    .select({ id: schema.accounts.id, appid: schema.accounts.appid, sealed: schema.accounts.appsecretSealed })
    .from(schema.accounts)
    .where(eq(schema.accounts.id, accountId))
    .get();
  if (!row) return null;
  return new WeChatClient({
    db: db(),
    appid: row.appid,
    secret: () => openAccountSecret(row.id, "appsecret", row.sealed),
    baseUrl: env().WECHAT_API_BASE,
    tokenCodec: tokenCodec(),
    ...options,
  });
}

/**
 * A client for credentials that are not stored yet (testing a form before saving). It leaves the
 * health fields alone: the appid may belong to a stored account whose own credentials still work.
 */
export function clientForCredentials(appid: string, secret: string): WeChatClient {
  return new WeChatClient({
    db: db(),
    appid,
    secret: () => secret,
    baseUrl: env().WECHAT_API_BASE,
    tokenCodec: tokenCodec(),
    recordHealth: false,
  });
}
