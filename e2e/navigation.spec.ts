import { expect, test } from "@playwright/test";
import { signIn, type Who } from "./support/helpers";

const expected: Record<"admin" | "marketer" | "support", { nav: string[]; home: RegExp; refused: string[] }> =
  {
    admin: {
      nav: ["概览", "用户", "公众号", "同步", "员工", "审计日志", "API 密钥", "Webhooks", "系统"],
      home: /\/overview$/,
      refused: [],
    },
    marketer: {
      nav: ["概览", "用户", "同步"],
      home: /\/overview$/,
      refused: ["/accounts", "/accounts/new", "/staff", "/audit", "/api-keys", "/webhooks", "/system"],
    },
    support: {
      nav: ["用户"],
      home: /\/people$/,
      refused: ["/overview", "/accounts", "/accounts/new", "/syncs", "/staff", "/audit"],
    },
  };

for (const [role, { nav, home, refused }] of Object.entries(expected)) {
  test(`${role} sees only their own navigation and is refused other pages`, async ({ page }) => {
    await signIn(page, role as Who);
    await expect(page).toHaveURL(home);
    const links = page.getByRole("navigation", { name: "主导航" }).getByRole("link");
    await expect(links).toHaveText(nav);
    for (const path of refused) {
      await page.goto(path);
      await expect(page.getByRole("heading", { name: "无权访问" }), path).toBeVisible();
      await expect(page.getByRole("table")).toHaveCount(0);
    }
  });
}

test("the layout works at phone width with a menu button", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, "admin");
  await expect(page.getByRole("navigation", { name: "主导航" })).toBeHidden();
  const menuButton = page.getByRole("button", { name: "打开菜单" });
  const menu = page.getByRole("dialog", { name: "主导航" });

  // Keyboard: the drawer takes focus, Escape closes it and gives focus back to the menu button.
  await menuButton.click();
  await expect(menu.getByRole("button", { name: "关闭菜单" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  await expect(menuButton).toBeFocused();

  await menuButton.click();
  await menu.getByRole("link", { name: "员工" }).click();
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByRole("heading", { name: "员工" })).toBeVisible();
  // The staff table scrolls inside its frame; the page itself does not scroll sideways.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
});

test("keyboard users can skip the navigation", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/people");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "跳到主要内容" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("main")).toBeFocused();
});
