import { expect, test, type Page } from "@playwright/test";
import { asNewClient, captureServerAction, signIn } from "./support/helpers";
import { SEEDED_STAFF } from "./support/staff";

/** Issue 18: honest status codes, Auth.js's own sign-out, security headers, cross-origin actions. */

test("forbidden and missing pages answer 403 and 404, not 200", async ({ page, browser }) => {
  await signIn(page, "support");
  for (const [path, status] of [
    ["/staff", 403],
    ["/accounts", 403],
    ["/audit", 403],
    ["/people/999999999", 404],
    ["/people/not-a-number", 404],
    ["/no-such-page", 404],
  ] as const) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(status);
  }
  // What a browser shows at the same time: the refusal's sentence, not a half-streamed page.
  const response = await page.goto("/staff");
  expect(response?.status()).toBe(403);
  await expect(page.getByText("你的角色无权执行此操作")).toBeVisible();

  const admin = await browser.newPage();
  await signIn(admin, "admin");
  for (const path of ["/accounts/no-such-account", "/accounts/no-such-account/events", "/syncs/999999999"]) {
    const answer = await admin.request.get(path, { maxRedirects: 0 });
    expect(answer.status(), path).toBe(404);
  }
  await admin.close();
});

test("Auth.js's own /api/auth/signout revokes the token, and /api/auth/session then reports no session", async ({
  page,
  browser,
}) => {
  await signIn(page, "spare");
  const copied = await page.context().cookies();
  const session = await page.request.get("/api/auth/session");
  expect(await session.json()).toMatchObject({ user: { email: SEEDED_STAFF.spare.email } });

  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const signout = await page.request.post("/api/auth/signout", {
    form: { csrfToken, callbackUrl: "/login" },
    maxRedirects: 0,
  });
  expect(signout.status()).toBeLessThan(400);

  const thief = await browser.newContext();
  await thief.addCookies(copied);
  expect(await (await thief.request.get("/api/auth/session")).json()).toBeNull();
  const stolen = await thief.newPage();
  await stolen.goto("/people");
  await expect(stolen).toHaveURL(/\/login/);
  await thief.close();
});

function scriptSrc(csp: string): string {
  return (
    csp
      .split(";")
      .map((d) => d.trim())
      .find((d) => d.startsWith("script-src ")) ?? ""
  );
}

async function cspViolations(page: Page, run: () => Promise<void>): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await run();
  return violations;
}

test("pages carry a nonce-based Content-Security-Policy and a Permissions-Policy; HSTS only over HTTPS", async ({
  page,
}) => {
  const login = await page.request.get("/login");
  const csp = login.headers()["content-security-policy"] ?? "";
  const scripts = scriptSrc(csp);
  const nonce = /'nonce-([^']+)'/.exec(scripts)?.[1];
  expect(nonce, csp).toBeTruthy();
  expect(scripts).not.toContain("'unsafe-inline'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  // Every script the page sends carries this response's nonce.
  const html = await login.text();
  const tags = html.match(/<script\b[^>]*>/g) ?? [];
  expect(tags.length).toBeGreaterThan(0);
  for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
  // A fresh nonce per response.
  const again = scriptSrc((await page.request.get("/login")).headers()["content-security-policy"] ?? "");
  expect(again).not.toBe(scripts);

  expect(login.headers()["permissions-policy"]).toContain("camera=()");
  expect(login.headers()["strict-transport-security"]).toBeUndefined();
  const viaTls = await page.request.get("/login", { headers: { "x-forwarded-proto": "https" } });
  expect(viaTls.headers()["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
});

test("the signed-in pages, their charts and toasts work under the policy", async ({ page }) => {
  const violations = await cspViolations(page, async () => {
    await signIn(page, "admin");
    for (const path of ["/overview", "/people", "/accounts", "/syncs", "/staff", "/audit"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    }
    // Client JS runs (hydrated dialog, server action, its answer shown).
    await page.goto("/staff");
    await page.getByRole("button", { name: "添加员工" }).click();
    const dialog = page.getByRole("dialog", { name: "添加员工" });
    await dialog.getByLabel("邮箱").fill("not-an-email");
    await dialog.getByLabel("姓名").fill("CSP Check");
    await dialog.getByRole("button", { name: "添加" }).click();
    await expect(dialog.getByText("邮箱格式不正确。")).toBeVisible();
  });
  expect(violations).toEqual([]);
});

test("a cross-origin server-action POST is refused with 403", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("邮箱").fill("nobody@e2e.test");
  await page.getByLabel("密码").fill("not-the-password");
  const action = await captureServerAction(page, () => page.getByRole("button", { name: "登录" }).click());
  const response = await page.request.post(action.url, {
    headers: {
      "Next-Action": action.actionId,
      "Content-Type": action.contentType,
      Origin: "https://evil.example",
      Accept: "text/x-component",
    },
    data: action.body,
    maxRedirects: 0,
  });
  expect(response.status()).toBe(403);
});

test("a stranger who locks an email out does not lock out its owner's browser", async ({ page, browser }) => {
  test.setTimeout(180_000); // three browsers and eight sign-ins
  // A member of our own, so the lock touches no other spec's staff.
  await signIn(page, "admin");
  await page.goto("/staff");
  await page.getByRole("button", { name: "添加员工" }).click();
  const dialog = page.getByRole("dialog", { name: "添加员工" });
  await dialog.getByLabel("邮箱").fill("owner@e2e.test");
  await dialog.getByLabel("姓名").fill("Olga Owner");
  await dialog.getByRole("button", { name: "添加" }).click();
  const password = (await page.getByRole("status", { name: "新密码" }).textContent())!;

  const owner = await browser.newPage();
  await signIn(owner, { email: "owner@e2e.test", password });
  const device = (await owner.context().cookies()).find((c) => c.name === "uv_device");
  expect(device?.httpOnly).toBe(true);
  await owner.getByRole("button", { name: "退出登录" }).click();
  await expect(owner).toHaveURL(/\/login/);

  const stranger = await browser.newPage();
  const attempt = async (typed: string) => {
    await asNewClient(stranger);
    await stranger.goto("/login");
    await stranger.getByLabel("邮箱").fill("owner@e2e.test");
    await stranger.getByLabel("密码").fill(typed);
    await stranger.getByRole("button", { name: "登录" }).click();
    await expect(stranger.getByRole("button", { name: "登录" })).toBeEnabled();
  };
  for (let i = 0; i < 5; i++) await attempt(`guess-${i}`);
  await attempt(password);
  await expect(stranger.getByRole("alert").filter({ hasText: "登录失败次数过多" })).toBeVisible();
  await expect(stranger).toHaveURL(/\/login/);

  await signIn(owner, { email: "owner@e2e.test", password });
  await expect(owner.getByText("Olga Owner")).toBeVisible();
  await owner.close();
  await stranger.close();
});
