import { expect, test } from "@playwright/test";
import { readDb, signIn } from "./support/helpers";

test("an admin creates an API key (shown once), another system uses it, and revoking it locks that system out", async ({
  page,
  request,
}) => {
  await signIn(page, "admin");
  await page.getByRole("link", { name: "API 密钥" }).click();
  await expect(page.getByRole("heading", { name: "API 密钥", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "创建 API 密钥" }).click();
  const dialog = page.getByRole("dialog", { name: "新建 API 密钥" });
  await dialog.getByRole("button", { name: "创建密钥" }).click();
  await expect(dialog.getByText("请为密钥命名，以便日后知道由哪个系统使用。")).toBeVisible();
  await expect(dialog.getByText("请至少选择一个权限范围。")).toBeVisible();
  await dialog.getByLabel("名称").fill("E2E CRM");
  await dialog.getByRole("checkbox", { name: /audience:read/ }).check();
  await dialog.getByRole("button", { name: "创建密钥" }).click();
  const key = (await page.getByRole("status", { name: "API 密钥" }).textContent())!;
  expect(key).toMatch(/^uv_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByRole("button", { name: "复制" })).toBeVisible();
  await page.getByRole("button", { name: "我已保存" }).click();
  const row = page.getByRole("row").filter({ hasText: "E2E CRM" });
  await expect(row).toContainText("audience:read");
  await expect(row).toContainText(key.slice(0, 9));
  // The key is not in the page any more.
  expect(await page.content()).not.toContain(key);

  const audience = await request.get("/api/v1/audience", { headers: { authorization: `Bearer ${key}` } });
  expect(audience.status()).toBe(200);
  expect(await audience.json()).toHaveProperty("uniquePeople");
  const forbidden = await request.get("/api/v1/people/oU1aBcDeFgHiJkLmNoPqRsTuVw12", {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(forbidden.status()).toBe(403);
  expect((await forbidden.json()).error.code).toBe("forbidden");

  await page.reload();
  await expect(row).toContainText("2");
  await row.getByRole("button", { name: "吊销密钥 E2E CRM" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "吊销" }).click();
  await expect(row).toContainText("已吊销");
  const revoked = await request.get("/api/v1/audience", { headers: { authorization: `Bearer ${key}` } });
  expect(revoked.status()).toBe(401);
  expect(await revoked.json()).toEqual({
    error: { code: "unauthorized", message: "This API key is unknown or has been revoked." },
  });
  expect(
    readDb((db) => db.prepare("SELECT count(*) FROM audit_log WHERE action LIKE 'apikey.%'").pluck().get()),
  ).toBe(2);
});

test("the API documentation page shows each endpoint with a curl line, and the OpenAPI document is public JSON", async ({
  page,
  request,
}) => {
  await signIn(page, "admin");
  await page.goto("/api-keys");
  await page.getByRole("link", { name: "API 文档" }).click();
  await expect(page.getByRole("heading", { name: "API 文档", level: 1 })).toBeVisible();
  await expect(page.getByLabel("/api/v1/identities/{appid}/{openid} 的 curl 示例")).toContainText(
    "Authorization: Bearer $UNIONVIEW_API_KEY",
  );
  const doc = await request.get("/api/v1/openapi.json");
  expect((await doc.json()).openapi).toBe("3.1.0");
  const unknown = await request.get("/api/v1/nothing-here");
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error.code).toBe("not_found");
});

test("an admin adds a webhook (secret shown once, not-http refused) and opens its delivery log", async ({
  page,
}) => {
  await signIn(page, "admin");
  await page.getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByText("公众号首次同步中的事件不会发送")).toBeVisible();
  await page.getByRole("button", { name: "添加 Webhook" }).click();
  const dialog = page.getByRole("dialog", { name: "新建 Webhook 端点" });
  await dialog.getByLabel("URL").fill("ftp://crm.example.com/hooks");
  await dialog.getByRole("button", { name: "添加端点" }).click();
  await expect(dialog.getByText("只有 http:// 和 https:// 的 URL 可以接收 Webhook。")).toBeVisible();
  await expect(dialog.getByLabel("URL")).toHaveValue("ftp://crm.example.com/hooks");
  await dialog.getByLabel("URL").fill("http://127.0.0.1:9/hooks");
  await dialog.getByRole("button", { name: "添加端点" }).click();
  const secret = (await page.getByRole("status", { name: "签名密钥" }).textContent())!;
  expect(secret).toMatch(/^whsec_/);
  await page.getByRole("button", { name: "我已保存" }).click();
  expect(await page.content()).not.toContain(secret);
  await page
    .getByRole("row")
    .filter({ hasText: "http://127.0.0.1:9/hooks" })
    .getByRole("link", { name: "投递日志" })
    .click();
  await expect(page.getByText("尚未向此端点发送任何事件")).toBeVisible();
});
