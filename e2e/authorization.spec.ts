import { expect, test, type Browser } from "@playwright/test";
import {
  accountForm,
  fillNewAccount,
  captureServerAction,
  readDb,
  replayServerAction,
  signIn,
  type CapturedAction,
  type Who,
} from "./support/helpers";
import { SEEDED_STAFF } from "./support/staff";

test.describe.configure({ mode: "serial" });

const FORBIDDEN = "你的角色无权执行此操作";
const captured: Record<string, CapturedAction> = {};
const ATTACK_APPID = "wxfedcba9876543210";
let ACCOUNT: Awaited<ReturnType<typeof accountForm>>;

test.beforeAll(async () => {
  ACCOUNT = await accountForm(1, "越权测试号");
});

async function signedInRequest(browser: Browser, who: Who) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, who);
  return { context, request: context.request };
}

test("an admin's own actions are captured as the attacker would see them", async ({ page }) => {
  await signIn(page, "admin");
  await fillNewAccount(page, ACCOUNT);
  captured.createAccount = await captureServerAction(page, () =>
    page.getByRole("button", { name: "添加公众号" }).click(),
  );
  await expect(page).toHaveURL(/\/accounts$/);

  await page.goto("/staff");
  const row = page.getByRole("row").filter({ hasText: SEEDED_STAFF.victim.email });
  await row.getByRole("combobox").selectOption("marketer");
  captured.changeRole = await captureServerAction(page, () =>
    row.getByRole("button", { name: "修改角色" }).click(),
  );
  await expect(page.getByText(`已修改 ${SEEDED_STAFF.victim.email} 的角色`)).toBeVisible();
  expect(captured.createAccount.body.toString()).toContain(ACCOUNT.appid);
  expect(captured.changeRole.body.toString()).toContain("marketer");
});

for (const who of ["marketer", "support"] as const) {
  test(`a ${who} calling the admin server actions directly is refused and changes nothing`, async ({
    browser,
  }) => {
    const { context, request } = await signedInRequest(browser, who);

    const create = await replayServerAction(request, captured.createAccount!, (body) =>
      body.replaceAll(ACCOUNT.appid, ATTACK_APPID),
    );
    expect(await create.text()).toContain(FORBIDDEN);
    expect(
      readDb((db) => db.prepare("SELECT COUNT(*) AS n FROM accounts WHERE appid = ?").get(ATTACK_APPID)),
    ).toEqual({ n: 0 });

    const promote = await replayServerAction(request, captured.changeRole!, (body) =>
      body.replace("marketer", "admin"),
    );
    expect(await promote.text()).toContain(FORBIDDEN);
    expect(
      readDb((db) =>
        db.prepare("SELECT role FROM staff_users WHERE email = ?").get(SEEDED_STAFF.victim.email),
      ),
    ).toEqual({
      role: "marketer",
    });

    const denied = readDb((db) =>
      db
        .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'access.denied' AND actor_email = ?")
        .get(SEEDED_STAFF[who].email),
    );
    expect(denied).toEqual({ n: 2 });
    await context.close();
  });
}

test("a signed-out caller is refused the admin actions too", async ({ playwright }) => {
  const request = await playwright.request.newContext();
  const response = await replayServerAction(
    request,
    captured.createAccount!,
    (body) => body.replaceAll(ACCOUNT.appid, ATTACK_APPID),
    {
      maxRedirects: 0,
    },
  );
  // The proxy turns a caller without a session away before the action runs.
  expect(response.status()).toBe(307);
  expect(response.headers()["location"]).toContain("/login");
  expect(
    readDb((db) => db.prepare("SELECT COUNT(*) AS n FROM accounts WHERE appid = ?").get(ATTACK_APPID)),
  ).toEqual({ n: 0 });
  await request.dispose();
});

test("the admin-only audit export route refuses other roles and the signed-out", async ({
  browser,
  playwright,
}) => {
  for (const who of ["marketer", "support"] as const) {
    const { context, request } = await signedInRequest(browser, who);
    const response = await request.get("/api/export/audit");
    expect(response.status()).toBe(403);
    expect(await response.text()).not.toContain("account.created");
    await context.close();
  }
  const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  expect((await anonymous.get("/api/export/audit")).status()).toBe(401);
  await anonymous.dispose();

  const { context, request } = await signedInRequest(browser, "admin");
  const response = await request.get("/api/export/audit");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/csv");
  const csv = await response.text();
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv).toContain("account.created");
  expect(csv).toContain("access.denied");
  expect(csv).not.toContain(ACCOUNT.appsecret);
  await context.close();
});
