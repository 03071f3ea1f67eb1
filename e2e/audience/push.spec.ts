import { expect, test, type Page } from "@playwright/test";
import { readDb, signIn, simAccounts } from "../support/helpers";
import { syncEverySimAccount } from "./synced";

test.describe.configure({ mode: "serial" });

const SIM = `http://127.0.0.1:${process.env.E2E_SIM_PORT}`;

async function sim<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${SIM}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status, `${path} answered`).toBe(200);
  return (await response.json()) as T;
}

interface SimPerson {
  unionid: string;
  follows: { appid: string; openid: string; subscribed: boolean; showsUnionid: boolean }[];
}

async function duplicates(page: Page): Promise<number> {
  await page.goto("/overview");
  const value = page.getByText("重复关注", { exact: true }).locator("xpath=following-sibling::dd[1]");
  return Number((await value.textContent())!.replace(/[^\d]/g, ""));
}

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await syncEverySimAccount(page);
  await page.close();
});

test("a person following one account subscribes to a second in safe mode: the person page shows both, duplicates rise by one; an unsubscribe lowers them", async ({
  page,
  baseURL,
}) => {
  const account = (await simAccounts())[1]!;
  const { id, name } = readDb(
    (db) =>
      db.prepare("SELECT id, name FROM accounts WHERE appid = ?").get(account.appid) as {
        id: string;
        name: string;
      },
  );
  await signIn(page, "admin");

  // The admin enters the token and key WeChat shows; the page then only says they are set.
  await page.goto(`/accounts/${id}`);
  await page.getByLabel("令牌 (Token)").fill(account.pushToken);
  await page.getByLabel("消息加解密密钥 (EncodingAESKey)").fill(account.encodingAESKey);
  await page.getByRole("button", { name: "保存修改" }).click();
  await expect(page.getByText(`已保存「${name}」`).first()).toBeVisible();
  await page.reload();
  const setup = page.getByRole("region", { name: "事件推送（服务器配置）" });
  const url = `${baseURL}/api/wechat/${account.appid}`;
  await expect(setup.getByText(url)).toBeVisible();
  await expect(setup.getByText("已设置（不再显示）")).toHaveCount(2);
  await expect(page.getByText(account.encodingAESKey)).toHaveCount(0);
  await expect(page.getByText(account.pushToken, { exact: true })).toHaveCount(0);

  // WeChat's URL check, then a wrong signature.
  expect((await sim<{ ok: boolean }>("/__sim/verify", { appid: account.appid, url })).ok).toBe(true);
  const tampered = await sim<{ status: number }>("/__sim/verify", {
    appid: account.appid,
    url,
    tamper: true,
  });
  expect(tampered.status).toBe(403);

  const before = await duplicates(page);
  // Someone who follows another account follows this one too. A few follows come without a unionid
  // (the simulator's no-UnionID share); those are undone and another person is tried.
  let person: SimPerson | null = null;
  let openid = "";
  for (let attempt = 0; attempt < 10 && !person; attempt++) {
    const pushed = await sim<{ status: number; body: string; openid: string }>("/__sim/push", {
      appid: account.appid,
      url,
      event: "subscribe",
      shared: true,
      mode: "safe",
    });
    expect([pushed.status, pushed.body]).toEqual([200, "success"]);
    const found = await sim<SimPerson>(`/__sim/person?id=${pushed.openid}`);
    const grouped = found.follows.filter((f) => f.subscribed && f.showsUnionid);
    if (grouped.length === 2 && grouped.some((f) => f.openid === pushed.openid)) {
      person = found;
      openid = pushed.openid;
    } else {
      await sim("/__sim/push", { appid: account.appid, url, event: "unsubscribe", openid: pushed.openid });
    }
  }
  expect(person, "the simulator offered a person with a unionid in both accounts").not.toBeNull();

  // The profile (unionid) is fetched right after the reply: within seconds both follows are one person.
  const personId = () =>
    readDb(
      (db) =>
        db
          .prepare("SELECT p.id FROM people p WHERE p.unionid = ? AND p.accounts_count = 2")
          .pluck()
          .get(person!.unionid) as number | undefined,
    );
  await expect.poll(personId, { timeout: 10_000 }).toBeDefined();
  await page.goto(`/people/${personId()}`);
  const cards = page.getByRole("listitem").filter({ has: page.getByTestId("openid") });
  for (const follow of person!.follows.filter((f) => f.subscribed && f.showsUnionid)) {
    const accountName = readDb(
      (db) => db.prepare("SELECT name FROM accounts WHERE appid = ?").pluck().get(follow.appid) as string,
    );
    await expect(cards.filter({ hasText: accountName }).filter({ hasText: follow.openid })).toHaveCount(1);
  }
  await expect(page.getByText(`关注了 ${name}（微信推送）`)).toBeVisible();
  await expect.poll(() => duplicates(page)).toBe(before + 1);

  const left = await sim<{ status: number; body: string }>("/__sim/push", {
    appid: account.appid,
    url,
    event: "unsubscribe",
    openid,
    mode: "safe",
  });
  expect([left.status, left.body]).toEqual([200, "success"]);
  await expect.poll(() => duplicates(page)).toBe(before);

  // The account's events view lists them.
  await page.goto(`/accounts/${id}/events`);
  await expect(page.getByRole("heading", { name: `推送事件 · ${name}` })).toBeVisible();
  const rows = page.getByRole("row").filter({ hasText: openid });
  await expect(rows.filter({ hasText: "关注" }).first()).toBeVisible();
  await expect(rows.filter({ hasText: "取关" })).toHaveCount(1);
});
