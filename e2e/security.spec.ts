import { expect, test, type Page } from "@playwright/test";
import { accountForm, addAccountThroughForm, fillNewAccount, readDb, signIn } from "./support/helpers";

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
  await addAccountThroughForm(page, ACCOUNT);
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

const typeNewAccount = (page: Page, name: string) =>
  fillNewAccount(page, {
    name,
    appid: "wx0123456789abcdef",
    appsecret: "0123456789abcdef0123456789abcdef",
    originalId: "gh_abcdef123456",
  });

test("a form whose request fails on the way (server stopped, connection reset) says so and keeps what was typed", async ({
  page,
}) => {
  await signIn(page, "admin");
  await typeNewAccount(page, "断线测试号");
  await page.route("**/accounts/new", (route) =>
    route.request().method() === "POST" && route.request().headers()["next-action"]
      ? route.abort("connectionreset")
      : route.continue(),
  );
  await page.getByRole("button", { name: "添加公众号" }).click();
  await expect(page.getByText(/没有送达 UnionView/).first()).toBeVisible();
  await expect(page.getByLabel("显示名称")).toHaveValue("断线测试号");
  await expect(page.getByLabel("AppSecret", { exact: true })).toHaveValue("0123456789abcdef0123456789abcdef");
  await expect(page.getByRole("button", { name: "添加公众号" })).toBeEnabled();
});

test("a form body over the server's 1 MB limit is refused with a sentence and keeps what was typed", async ({
  page,
}) => {
  await signIn(page, "admin");
  await typeNewAccount(page, "超大请求测试号");
  // The inputs cap their own length, so the oversized part is a field a hand-crafted request would add.
  await page
    .locator("form")
    .filter({ has: page.getByLabel("显示名称") })
    .evaluate((form) => {
      const extra = document.createElement("input");
      extra.type = "hidden";
      extra.name = "notes";
      extra.value = "x".repeat(1_200_000);
      form.append(extra);
    });
  await page.getByRole("button", { name: "添加公众号" }).click();
  await expect(page.getByText(/没有送达 UnionView/).first()).toBeVisible();
  await expect(page.getByLabel("显示名称")).toHaveValue("超大请求测试号");
  await expect(page.getByRole("button", { name: "添加公众号" })).toBeEnabled();
  expect(
    readDb((db) => db.prepare("SELECT count(*) FROM accounts WHERE name = '超大请求测试号'").pluck().get()),
  ).toBe(0);
});

test("after signing out, a copy of the session cookie taken before no longer opens anything", async ({
  page,
  browser,
}) => {
  await signIn(page, "spare");
  const copied = await page.context().cookies();
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login/);

  const thief = await browser.newContext();
  await thief.addCookies(copied);
  const stolen = await thief.newPage();
  await stolen.goto("/people");
  await expect(stolen).toHaveURL(/\/login\?expired=1/);
  expect((await thief.request.get("/api/export/people-counts")).status()).toBe(401);
  await thief.close();
});
