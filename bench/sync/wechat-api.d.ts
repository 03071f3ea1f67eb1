/** The part of wechat-api (a CommonJS package without types) that bench/sync uses. */
declare module "wechat-api" {
  type Callback<T> = (error: (Error & { code?: number }) | null, data: T) => void;

  interface FollowersPage {
    total: number;
    count: number;
    data?: { openid: string[] };
    next_openid: string;
  }

  class WechatAPI {
    constructor(appid: string, appsecret: string);
    /** Base URL of every call; setEndpoint(domain) would force https://, so the bench sets this directly. */
    endpoint: string;
    getFollowers(nextOpenid: string, callback: Callback<FollowersPage>): void;
    batchGetUsers(openids: string[], callback: Callback<{ user_info_list: Record<string, unknown>[] }>): void;
  }

  export = WechatAPI;
}
