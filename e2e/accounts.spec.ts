import { expect, test, type Page } from "@playwright/test";
import { accountForm, readDb, signIn } from "./support/helpers";

test.describe.configure({ mode: "serial" });

type AccountForm = Awaited<ReturnType<typeof accountForm>>;
let ACCOUNT: AccountForm;
let SECRETS: string[];
const WRONG_SECRET = "00112233445566778899aabbccddeeff";

test.beforeAll(async () => {
  ACCOUNT = await accountForm(0);
  SECRETS = [ACCOUNT.appsecret, ACCOUNT.pushToken, ACCOUNT.aesKey];
});

/** Collects every response body the browser receives, to prove no secret ever comes back. */
function recordResponses(page: Page): string[] {
  const bodies: string[] = [];
  page.on("response", async (response) => {
    try {
      bodies.push(await response.text());
    } catch {
      // redirects and aborted requests have no body
    }
  });
  return bodies;
}

async function fillAccount(page: Page, values: Partial<AccountForm>) {
  const labels: Record<keyof AccountForm, string> = {
    name: "显示名称",
    appid: "AppID",
    appsecret: "AppSecret",
    originalId: "原始 ID",
    pushToken: "令牌 (Token)",
    aesKey: "消息加解密密钥 (EncodingAESKey)",
  };
  for (const [key, value] of Object.entries(values)) {
    await page.getByLabel(labels[key as keyof AccountForm], { exact: true }).fill(value);
  }
}

test("a wrong AppSecret is refused with WeChat's 40125 explanation and nothing is stored", async ({
  page,
}) => {
  await signIn(page, "admin");
  await page.goto("/accounts/new");
  await fillAccount(page, { ...ACCOUNT, appsecret: WRONG_SECRET });
  await page.getByRole("button", { name: "添加公众号" }).click();
  await expect(page.getByText(/AppSecret 不正确/).first()).toBeVisible();
  await expect(page.getByLabel("AppSecret", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("AppSecret", { exact: true })).toHaveValue(WRONG_SECRET);
  expect(readDb((db) => db.prepare("SELECT COUNT(*) AS n FROM accounts").get())).toEqual({ n: 0 });
});

test("an admin adds an account; its secrets are stored encrypted and never sent back", async ({ page }) => {
  const bodies = recordResponses(page);
  await signIn(page, "admin");
  await page.goto("/accounts");
  await expect(page.getByRole("heading", { name: "还没有公众号 — 添加第一个吧" })).toBeVisible();
  await page.getByRole("link", { name: "添加公众号" }).click();
  await fillAccount(page, ACCOUNT);
  await page.getByRole("button", { name: "添加公众号" }).click();
  await expect(page.getByText(`已添加公众号「${ACCOUNT.name}」，连接测试通过。`)).toBeVisible();
  await expect(page).toHaveURL(/\/accounts$/);
  const row = page.getByRole("row").filter({ hasText: ACCOUNT.appid });
  await expect(row).toContainText(ACCOUNT.name);
  await expect(row).toContainText("安全模式");

  await row.getByRole("link", { name: ACCOUNT.name }).click();
  await expect(page.getByRole("heading", { name: ACCOUNT.name })).toBeVisible();
  await expect(page.getByRole("button", { name: "替换AppSecret" })).toBeVisible();
  await expect(page.getByLabel("AppID")).toHaveValue(ACCOUNT.appid);
  await expect(page.getByText("已连接")).toBeVisible();
  await page.getByRole("button", { name: "测试连接" }).click();
  await expect(page.getByRole("status").filter({ hasText: /连接正常/ })).toBeVisible();
  await expect(page.getByRole("cell", { name: "/cgi-bin/openapi/quota/get" })).toBeVisible();

  for (const path of ["/accounts", page.url(), "/overview"]) {
    const html = await (await page.request.get(path)).text();
    for (const secret of SECRETS) expect(html).not.toContain(secret);
  }
  const content = await page.content();
  for (const secret of SECRETS) expect(content).not.toContain(secret);
  await page.waitForLoadState("networkidle");
  expect(bodies.length).toBeGreaterThan(3);
  for (const body of bodies) for (const secret of SECRETS) expect(body).not.toContain(secret);

  const stored = readDb((db) =>
    db
      .prepare("SELECT appsecret_sealed, push_token_sealed, aes_key_sealed FROM accounts WHERE appid = ?")
      .get(ACCOUNT.appid),
  ) as Record<string, string>;
  for (const value of Object.values(stored)) {
    expect(value).toMatch(/^v1\./);
    for (const secret of SECRETS) expect(value).not.toContain(secret);
  }
});

test("bad input gets a clear message per field and keeps what was typed", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/accounts/new");
  await fillAccount(page, {
    name: "第二个号",
    appid: "wx123",
    appsecret: "tooshort",
    originalId: "0123",
    pushToken: "x",
  });
  await page.getByRole("button", { name: "添加公众号" }).click();
  await expect(page.getByText("请修正标出的字段后再保存。").first()).toBeVisible();
  await expect(page.getByText(/AppID 应为 wx 加 16 位小写十六进制字符/)).toBeVisible();
  await expect(page.getByText("AppSecret 应为 32 位小写十六进制字符（0–9、a–f）。")).toBeVisible();
  await expect(page.getByText(/原始 ID 应以 gh_ 开头/)).toBeVisible();
  await expect(page.getByText("令牌应为 3–32 位字母或数字。")).toBeVisible();
  await expect(page.getByLabel("AppID")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("显示名称")).toHaveValue("第二个号");
  await expect(page.getByLabel("AppSecret", { exact: true })).toHaveValue("tooshort");

  await fillAccount(page, {
    appid: ACCOUNT.appid,
    appsecret: ACCOUNT.appsecret,
    originalId: "gh_abcdef123456",
    pushToken: "",
  });
  await page.getByRole("button", { name: "添加公众号" }).click();
  await expect(page.getByText(`此 AppID 已被公众号「${ACCOUNT.name}」使用。`)).toBeVisible();
  expect(readDb((db) => db.prepare("SELECT COUNT(*) AS n FROM accounts").get())).toEqual({ n: 1 });
});

test("an admin replaces a secret, disables the account, and deletes it after typing its name", async ({
  page,
}) => {
  await signIn(page, "admin");
  await page.goto("/accounts");
  await page.getByRole("link", { name: ACCOUNT.name }).click();
  const before = readDb((db) => db.prepare("SELECT appsecret_sealed AS s FROM accounts").get()) as {
    s: string;
  };

  await page.getByRole("button", { name: "替换AppSecret" }).click();
  await page.getByLabel("AppSecret", { exact: true }).fill(WRONG_SECRET);
  await page.getByRole("button", { name: "保存修改" }).click();
  await expect(page.getByText(/AppSecret 不正确/).first()).toBeVisible();
  const unchanged = readDb((db) => db.prepare("SELECT appsecret_sealed AS s FROM accounts").get()) as {
    s: string;
  };
  expect(unchanged.s).toBe(before.s);

  await page.getByLabel("AppSecret", { exact: true }).fill(ACCOUNT.appsecret);
  await page.getByRole("button", { name: "保存修改" }).click();
  await expect(page.getByText(`已保存「${ACCOUNT.name}」，连接测试通过。`)).toBeVisible();
  await expect(page.getByRole("button", { name: "替换AppSecret" })).toBeVisible();
  const after = readDb((db) => db.prepare("SELECT appsecret_sealed AS s FROM accounts").get()) as {
    s: string;
  };
  expect(after.s).not.toBe(before.s);
  expect(await page.content()).not.toContain(ACCOUNT.appsecret);

  await page.getByRole("button", { name: "停用", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "停用" }).click();
  await expect(page.getByText(`已停用「${ACCOUNT.name}」。`)).toBeVisible();
  await expect(page.getByRole("button", { name: "启用", exact: true })).toBeVisible();

  const tokens = () =>
    (
      readDb((db) =>
        db.prepare("SELECT count(*) AS n FROM access_tokens WHERE appid = ?").get(ACCOUNT.appid),
      ) as {
        n: number;
      }
    ).n;
  expect(tokens()).toBe(1); // the connection tests fetched and cached one
  await page.getByRole("button", { name: "删除…" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("加密保存的 AppSecret、令牌和 EncodingAESKey");
  const confirm = dialog.getByRole("button", { name: "永久删除" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(/请输入公众号名称/).fill("wrong name");
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(/请输入公众号名称/).fill(ACCOUNT.name);
  await confirm.click();
  await expect(page).toHaveURL(/\/accounts$/);
  await expect(page.getByText(`已删除「${ACCOUNT.name}」。`)).toBeVisible();
  expect(tokens()).toBe(0);
  await expect(page.getByRole("heading", { name: "还没有公众号 — 添加第一个吧" })).toBeVisible();

  await page.goto("/audit?category=account");
  for (const action of ["添加公众号", "替换凭据", "停用公众号", "删除公众号"]) {
    await expect(page.getByRole("row").filter({ hasText: action }).first()).toBeVisible();
  }
  await expect(page.getByRole("row").filter({ hasText: "fields: appsecret" })).toHaveCount(1);
  const log = readDb((db) => db.prepare("SELECT group_concat(details, ' ') AS d FROM audit_log").get()) as {
    d: string;
  };
  for (const secret of [...SECRETS, WRONG_SECRET]) expect(log.d).not.toContain(secret);
});
