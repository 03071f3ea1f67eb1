import { expect, test } from "@playwright/test";
import { signIn } from "./support/helpers";
import { SEEDED_STAFF } from "./support/staff";

test("an admin adds a staff member with a generated password, shown once, that works", async ({
  page,
  browser,
}) => {
  await signIn(page, "admin");
  await page.goto("/staff");
  await page.getByRole("button", { name: "添加员工" }).click();
  const dialog = page.getByRole("dialog", { name: "添加员工" });
  await dialog.getByLabel("邮箱").fill("not-an-email");
  await dialog.getByLabel("姓名").fill("Nina New");
  await dialog.getByRole("button", { name: "添加" }).click();
  await expect(dialog.getByText("邮箱格式不正确。")).toBeVisible();
  await dialog.getByLabel("邮箱").fill("nina@e2e.test");
  await dialog.getByLabel("角色").selectOption("marketer");
  await dialog.getByRole("button", { name: "添加" }).click();
  const password = await page.getByRole("status", { name: "新密码" }).textContent();
  expect(password).toMatch(/^\w{4}-\w{4}-\w{4}-\w{4}$/);
  await page.getByRole("button", { name: "我已记下" }).click();
  await expect(page.getByRole("row").filter({ hasText: "nina@e2e.test" })).toContainText("市场");

  const nina = await browser.newPage();
  await signIn(nina, { email: "nina@e2e.test", password: password! });
  await expect(nina).toHaveURL(/\/overview$/);
  await nina.close();
});

test("disabling a staff member ends their session at once", async ({ page, browser }) => {
  const victim = await browser.newPage();
  await signIn(victim, "victim");
  await victim.goto("/login");
  await expect(victim).not.toHaveURL(/\/login/);

  await signIn(page, "admin");
  await page.goto("/staff");
  await page.getByRole("button", { name: `停用 ${SEEDED_STAFF.victim.email}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "停用" }).click();
  await expect(page.getByText(`已停用 ${SEEDED_STAFF.victim.email}，其登录已失效。`)).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: SEEDED_STAFF.victim.email })).toContainText("已停用");

  await victim.reload();
  await expect(victim).toHaveURL(/\/login/);
  await expect(victim.getByText("登录已失效，请重新登录。")).toBeVisible();
  await victim.getByLabel("邮箱").fill(SEEDED_STAFF.victim.email);
  await victim.getByLabel("密码").fill(SEEDED_STAFF.victim.password);
  await victim.getByRole("button", { name: "登录" }).click();
  await expect(victim.getByRole("alert").filter({ hasText: "该账号已被停用" })).toBeVisible();
});

test("an admin can't disable or demote themselves", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/staff");
  const me = page.getByRole("row").filter({ hasText: SEEDED_STAFF.admin.email });
  await expect(me).toContainText("（你自己）");
  await expect(me.getByRole("button")).toHaveCount(0);
});
