import { drizzle } from "drizzle-orm/better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqlite } from "@/lib/db/connection";
import { migrateDatabase } from "@/lib/db/migrate";
import { WeChatClient, type WeChatClientOptions } from "./client";
import type { TokenCodec } from "./token-store";

/** Tests keep tokens readable; the app seals them (lib/wechat/for-account.ts). */
export const plainCodec: TokenCodec = {
  seal: (token, appid) => `${appid}:${token}`,
  open: (sealed, appid) => sealed.slice(appid.length + 1),
};

export interface SimAccount {
  appid: string;
  secret: string;
  bound: boolean;
}

/** A migrated throwaway database file for client tests. */
export function tempDatabase() {
  const dir = mkdtempSync(join(tmpdir(), "unionview-wechat-"));
  const file = join(dir, "t.db");
  migrateDatabase(file);
  const sqlite = openSqlite(file);
  return {
    file,
    db: drizzle(sqlite),
    sqlite,
    cleanup: () => {
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function testClient(
  db: WeChatClientOptions["db"],
  baseUrl: string,
  account: { appid: string; secret: string },
  options: Partial<WeChatClientOptions> = {},
): WeChatClient {
  return new WeChatClient({
    db,
    appid: account.appid,
    secret: () => account.secret,
    baseUrl,
    tokenCodec: plainCodec,
    retryBaseMs: 5,
    timeoutMs: 3000,
    ...options,
  });
}
