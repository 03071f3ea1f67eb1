import { expect, type APIRequestContext, type Page, type Request } from "@playwright/test";
import Database from "better-sqlite3";
import type { AccountInfo } from "@/lib/simulator";
import { SEEDED_STAFF } from "./staff";

export type Who = keyof typeof SEEDED_STAFF;

/**
 * Gives the page's requests an address of their own (X-Forwarded-For, which Next.js keeps when the
 * client sends it): each test signs in as a different client, so the per-client sign-in limit
 * (10 at once, then 5 a minute) does not hold up a suite that signs in dozens of times from 127.0.0.1.
 */
export async function asNewClient(page: Page) {
  const byte = () => Math.floor(Math.random() * 254) + 1;
  await page.setExtraHTTPHeaders({ "x-forwarded-for": `198.18.${byte()}.${byte()}` });
}

export async function signIn(page: Page, who: Who | { email: string; password: string }) {
  const { email, password } = typeof who === "string" ? SEEDED_STAFF[who] : who;
  await asNewClient(page);
  await page.goto("/login");
  await page.getByLabel("邮箱").fill(email);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** Opens /accounts/new and types an account's fields (the caller submits, or not). */
export async function fillNewAccount(
  page: Page,
  account: { name: string; appid: string; appsecret: string; originalId: string },
) {
  await page.goto("/accounts/new");
  await page.getByLabel("显示名称").fill(account.name);
  await page.getByLabel("AppID").fill(account.appid);
  await page.getByLabel("AppSecret", { exact: true }).fill(account.appsecret);
  await page.getByLabel("原始 ID").fill(account.originalId);
}

/** Adds an account through the form and waits for the accounts list. */
export async function addAccountThroughForm(
  page: Page,
  account: { name: string; appid: string; appsecret: string; originalId: string },
) {
  await fillNewAccount(page, account);
  await page.getByRole("button", { name: "添加公众号" }).click();
  await expect(page).toHaveURL(/\/accounts$/);
}

/** Read-only look at the test database, to check what a refused request did not change. */
export function readDb<T>(query: (db: Database.Database) => T): T {
  const db = new Database(process.env.E2E_DATABASE_URL!, { readonly: true, fileMustExist: true });
  try {
    return query(db);
  } finally {
    db.close();
  }
}

export interface CapturedAction {
  url: string;
  actionId: string;
  contentType: string;
  body: Buffer;
}

/** Records the server-action POST that `trigger` causes, so another user can replay it directly. */
export async function captureServerAction(page: Page, trigger: () => Promise<void>): Promise<CapturedAction> {
  const requestPromise = page.waitForRequest(
    (r: Request) => r.method() === "POST" && Boolean(r.headers()["next-action"]),
  );
  await trigger();
  const request = await requestPromise;
  await request.response();
  return {
    url: request.url(),
    actionId: request.headers()["next-action"]!,
    contentType: request.headers()["content-type"] ?? "text/plain;charset=UTF-8",
    body: request.postDataBuffer() ?? Buffer.alloc(0),
  };
}

/**
 * Sends a captured server action again from `request` (another user's cookies), after letting
 * `edit` rewrite its encoded arguments, the way an attacker who read the page's JS would.
 */
export async function replayServerAction(
  request: APIRequestContext,
  action: CapturedAction,
  edit: (body: string) => string = (b) => b,
  options: { maxRedirects?: number } = {},
) {
  const body = edit(action.body.toString("utf8"));
  const origin = new URL(action.url).origin;
  return request.post(action.url, {
    headers: {
      "Next-Action": action.actionId,
      "Content-Type": action.contentType,
      Origin: origin,
      Accept: "text/x-component",
    },
    data: Buffer.from(body, "utf8"),
    ...options,
  });
}

/** The simulator's demo accounts: real credentials as far as the dashboard can tell. */
export async function simAccounts(): Promise<AccountInfo[]> {
  const response = await fetch(`http://127.0.0.1:${process.env.E2E_SIM_PORT}/__sim/accounts`);
  return (await response.json()) as AccountInfo[];
}

/** The form's values for simulator account `index`. */
export async function accountForm(index: number, name = `测试服务号 ${index + 1}`) {
  const sim = (await simAccounts())[index]!;
  return {
    name,
    appid: sim.appid,
    appsecret: sim.secret,
    originalId: sim.originalId,
    pushToken: sim.pushToken,
    aesKey: sim.encodingAESKey,
  };
}
