import { expect, test } from "@playwright/test";
import { accountForm, readDb, signIn } from "./support/helpers";

/** Simulator account 3 under the name the audience specs give it, so they find it registered. */
let ACCOUNT: Awaited<ReturnType<typeof accountForm>>;
let accountId: string;

test.beforeAll(async ({ browser }) => {
  ACCOUNT = await accountForm(3, "受众测试号 4");
  const existing = readDb(
    (db) =>
      db.prepare("SELECT id FROM accounts WHERE appid = ?").pluck().get(ACCOUNT.appid) as string | undefined,
  );
  if (existing) {
    accountId = existing;
    return;
  }
  const page = await browser.newPage();
  await signIn(page, "admin");
  await page.goto("/accounts/new");
  await page.getByLabel("显示名称").fill(ACCOUNT.name);
  await page.getByLabel("AppID").fill(ACCOUNT.appid);
  await page.getByLabel("AppSecret", { exact: true }).fill(ACCOUNT.appsecret);
  await page.getByLabel("原始 ID").fill(ACCOUNT.originalId);
  await page.getByRole("button", { name: "添加公众号" }).click();
  await expect(page).toHaveURL(/\/accounts$/);
  accountId = readDb(
    (db) => db.prepare("SELECT id FROM accounts WHERE appid = ?").pluck().get(ACCOUNT.appid) as string,
  );
  await page.close();
});

for (const who of ["support", "marketer"] as const) {
  test(`a ${who} opening an account's pages by URL is refused and learns not even its name`, async ({
    page,
  }) => {
    await signIn(page, who);
    for (const path of [`/accounts/${accountId}`, `/accounts/${accountId}/events`]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { name: "无权访问" })).toBeVisible();
      expect(await page.title(), path).not.toContain(ACCOUNT.name);
      expect(await page.content(), path).not.toContain(ACCOUNT.name);
    }
  });
}
