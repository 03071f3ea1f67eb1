/** Helpers for the simulator's own tests: plain fetch against a running instance. */
import type { AccountInfo } from "./simulator";

export type Json = Record<string, unknown>;

export interface WxTestClient {
  get(path: string, query?: Record<string, string>): Promise<Json>;
  post(path: string, body: unknown, query?: Record<string, string>): Promise<Json>;
  /** POST a raw body (for malformed JSON). */
  postRaw(path: string, body: string, query?: Record<string, string>): Promise<Json>;
  token(account: AccountInfo): Promise<string>;
  admin<T = Json>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<T>;
}

export function wxClient(base: string): WxTestClient {
  const url = (path: string, query: Record<string, string> = {}) => {
    const target = new URL(path, base);
    for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
    return target;
  };
  const json = async (response: Response): Promise<Json> => {
    if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    return (await response.json()) as Json;
  };
  const client: WxTestClient = {
    get: async (path, query) => json(await fetch(url(path, query))),
    post: async (path, body, query) =>
      json(await fetch(url(path, query), { method: "POST", body: JSON.stringify(body) })),
    postRaw: async (path, body, query) => json(await fetch(url(path, query), { method: "POST", body })),
    token: async (account) => {
      const result = await client.get("/cgi-bin/token", {
        grant_type: "client_credential",
        appid: account.appid,
        secret: account.secret,
      });
      if (typeof result.access_token !== "string") throw new Error(`no token: ${JSON.stringify(result)}`);
      return result.access_token;
    },
    admin: async <T>(method: string, path: string, body?: unknown) => {
      const response = await fetch(url(path), {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    },
  };
  return client;
}

/** Every subscribed openid of an account, page by page through user/get. */
export async function listAllOpenids(client: WxTestClient, token: string): Promise<string[]> {
  const openids: string[] = [];
  let next = "";
  for (let guard = 0; guard < 10_000; guard++) {
    const page = await client.get("/cgi-bin/user/get", { access_token: token, next_openid: next });
    if (page.errcode) throw new Error(`user/get failed: ${JSON.stringify(page)}`);
    const data = page.data as { openid: string[] } | undefined;
    if (page.count === 0) return openids;
    openids.push(...(data?.openid ?? []));
    next = page.next_openid as string;
  }
  throw new Error("user/get never ended");
}

export async function batchget(client: WxTestClient, token: string, openids: string[]): Promise<Json[]> {
  const profiles: Json[] = [];
  for (let i = 0; i < openids.length; i += 100) {
    const result = await client.post(
      "/cgi-bin/user/info/batchget",
      { user_list: openids.slice(i, i + 100).map((openid) => ({ openid, lang: "zh_CN" })) },
      { access_token: token },
    );
    if (result.errcode) throw new Error(`batchget failed: ${JSON.stringify(result)}`);
    profiles.push(...(result.user_info_list as Json[]));
  }
  return profiles;
}

/** Calls the simulator's /__sim admin API. */
export async function simAdmin<T>(
  baseUrl: string,
  path: string,
  body?: unknown,
  method = body === undefined ? "GET" : "POST",
) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
