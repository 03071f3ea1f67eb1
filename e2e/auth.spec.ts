import { expect, test } from "@playwright/test";
import { asNewClient, signIn } from "./support/helpers";
import { SEEDED_STAFF } from "./support/staff";

test.beforeEach(async ({ page }) => asNewClient(page));

test("an admin signs in and lands on the overview with their name shown", async ({ page }) => {
  await signIn(page, "admin");
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByText(SEEDED_STAFF.admin.name)).toBeVisible();
  await expect(page.getByRole("heading", { name: "概览" })).toBeVisible();
});

test("a wrong password and an unknown email get the same refusal", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("邮箱").fill(SEEDED_STAFF.support.email);
  await page.getByLabel("密码").fill("not-the-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "邮箱或密码不正确。" })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByLabel("邮箱")).toHaveValue(SEEDED_STAFF.support.email);

  await page.getByLabel("邮箱").fill("nobody-at-all@e2e.test");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "邮箱或密码不正确。" })).toBeVisible();
});

test("an empty form is refused without a request to the server's sign-in", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByText("请输入邮箱。")).toBeVisible();
  await expect(page.getByText("请输入密码。")).toBeVisible();
});

test("repeated failures lock the email, even with the right password, and are audited", async ({
  page,
  browser,
}) => {
  const target = SEEDED_STAFF.spare;
  await page.goto("/login");
  await page.getByLabel("邮箱").fill(target.email);
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("密码").fill(`wrong-${i}`);
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page.getByRole("button", { name: "登录" })).toBeEnabled();
  }
  await expect(page.getByRole("alert").filter({ hasText: "登录失败次数过多" })).toBeVisible();
  await page.getByLabel("密码").fill(target.password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "登录失败次数过多" })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);

  const admin = await browser.newPage();
  await signIn(admin, "admin");
  await admin.goto("/audit?category=auth");
  const rows = admin.getByRole("row").filter({ hasText: target.email });
  await expect(rows.filter({ hasText: "登录被锁定" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "登录失败" }).first()).toBeVisible();
  await expect(rows.filter({ hasText: "reason: wrong_password" }).first()).toBeVisible();

  // An admin's password reset clears the lock.
  await admin.goto("/staff");
  await admin.getByRole("button", { name: `重置 ${target.email} 的密码` }).click();
  await admin.getByRole("dialog").getByRole("button", { name: "重置密码" }).click();
  const password = await admin.getByRole("status", { name: "新密码" }).textContent();
  expect(password).toMatch(/^\w{4}-\w{4}-\w{4}-\w{4}$/);
  SEEDED_STAFF.spare.password = password!;
  await admin.close();

  await signIn(page, { email: target.email, password: password! });
  await expect(page).toHaveURL(/\/people$/);
});

test("signed-out visitors are sent to sign in, and signing out ends the session", async ({ page }) => {
  await page.goto("/accounts");
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, "support");
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/people");
  await expect(page).toHaveURL(/\/login/);
});

test("the interface switches to English and back", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("界面语言").selectOption("en");
  await expect(page.getByRole("heading", { name: "Staff sign-in" })).toBeVisible();
  await expect(page.getByLabel("Email")).toBeVisible();
  await page.getByLabel("Language").selectOption("zh-CN");
  await expect(page.getByRole("heading", { name: "员工登录" })).toBeVisible();
});
