import { WeChatClient, type WeChatClientOptions } from "./client";
import type { TokenCodec } from "./token-store";

/** Tests keep tokens readable; the app seals them (lib/accounts/wechat-client.ts). */
export const plainCodec: TokenCodec = {
  seal: (token, appid) => `${appid}:${token}`,
  open: (sealed, appid) => sealed.slice(appid.length + 1),
};

export interface SimAccount {
  appid: string;
  secret: string;
  bound: boolean;
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
