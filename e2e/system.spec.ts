import { expect, test } from "@playwright/test";
import { signIn } from "./support/helpers";

test("health endpoints answer without a session, and /metrics is off without METRICS_TOKEN", async ({
  request,
}) => {
  const live = await request.get("/api/health", { maxRedirects: 0 });
  expect(live.status()).toBe(200);
  expect(await live.json()).toMatchObject({ status: "ok" });

  // The server's worker child writes its first heartbeat within seconds of the start.
  await expect
    .poll(async () => (await request.get("/api/health/ready", { maxRedirects: 0 })).status(), {
      timeout: 30_000,
    })
    .toBe(200);
  const ready = await (await request.get("/api/health/ready")).json();
  expect(ready).toMatchObject({ status: "ready", problems: [] });
  expect(Object.values(ready.checks)).toEqual(["ok", "ok", "ok", "ok", "ok"]);

  expect((await request.get("/metrics", { maxRedirects: 0 })).status()).toBe(404);
});

test("an admin opens the System page from the navigation and reads each card's advice", async ({
  page,
}, testInfo) => {
  await signIn(page, "admin");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "系统" }).click();
  await expect(page).toHaveURL(/\/system$/);
  await expect(page.getByRole("heading", { name: "系统", level: 1 })).toBeVisible();
  for (const card of ["同步进程", "队列", "最近 24 小时的同步", "存储", "最近的错误", "备份"])
    await expect(page.getByRole("heading", { name: card })).toBeVisible();
  await expect(page.getByText("尚无备份记录。")).toBeVisible();
  await expect(page.getByText("变红时：")).toHaveCount(6);
  await page.screenshot({ path: testInfo.outputPath("system-zh.png"), fullPage: true });

  await page.context().addCookies([{ name: "unionview-locale", value: "en", url: page.url() }]);
  await page.reload();
  await expect(page.getByRole("heading", { name: "System", level: 1 })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("system-en.png"), fullPage: true });
});
