import { expect, test } from "@playwright/test";
import { readDb, signIn } from "../support/helpers";
import { simTruth, syncEverySimAccount } from "./synced";

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  const page = await browser.newPage();
  await syncEverySimAccount(page);
  await page.close();
});

test("support pastes an openid from one account and lands on the person who also follows the other two, then edits a remark", async ({
  page,
}) => {
  const shared = readDb(
    (db) =>
      db
        .prepare(
          `SELECT f.openid, p.id, p.unionid FROM people p JOIN followers f ON f.person_id = p.id
            JOIN accounts a ON a.id = f.account_id WHERE p.accounts_count = 3 ORDER BY a.slot DESC LIMIT 1`,
        )
        .get() as { openid: string; id: number; unionid: string },
  );
  await signIn(page, "support");
  const search = page.getByRole("searchbox", { name: "搜索用户" });
  await search.fill(`  ${shared.openid} `);
  await search.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/people/${shared.id}`));
  await expect(page.getByText(shared.unionid)).toBeVisible();
  const cards = page.getByRole("listitem").filter({ has: page.getByTestId("openid") });
  await expect(cards).toHaveCount(3);
  // The account whose openid was pasted is marked.
  const found = cards.filter({ hasText: "通过你搜索的 OpenID 找到" });
  await expect(found).toHaveCount(1);
  await expect(found.getByTestId("openid")).toHaveText(shared.openid);
  await expect(page.getByText(/自 .* 起关注/)).toHaveCount(3);

  const field = page.getByLabel(/中的备注$/).first();
  await field.fill("这是一个超过三十个字符的备注，微信不会接受它，所以在调用微信之前就应当被拒绝");
  await expect(page.getByText("备注最多 30 个字符。")).toBeVisible();
  await expect(page.getByRole("button", { name: "保存备注" }).first()).toBeDisabled();
  await field.fill("VIP 老客户");
  await page.getByRole("button", { name: "保存备注" }).first().click();
  await expect(page.getByText(/备注已保存到微信和本地/)).toBeVisible();
  const stored = readDb((db) =>
    db
      .prepare("SELECT remark FROM followers WHERE person_id = ? AND remark IS NOT NULL")
      .pluck()
      .all(shared.id),
  );
  expect(stored).toContain("VIP 老客户");
  const simPerson = (await (
    await fetch(`http://127.0.0.1:${process.env.E2E_SIM_PORT}/__sim/person?id=${shared.unionid}`)
  ).json()) as { follows: { showsUnionid: boolean }[] };
  expect(simPerson.follows.filter((f) => f.showsUnionid)).toHaveLength(3);
  await page.reload();
  await expect(page.getByText(/将 .* 中的备注改为“VIP 老客户”/)).toBeVisible();

  // The remark is searchable by its beginning.
  await search.fill("VIP 老");
  await search.press("Enter");
  await expect(page.getByRole("link", { name: shared.unionid })).toBeVisible();
});

test("an unknown or malformed id says no one has it", async ({ page }) => {
  await signIn(page, "support");
  await page.goto(`/search?q=${encodeURIComponent("oAbCdEfGhIjKlMnOpQrStUvWxYz0")}`);
  await expect(page.getByText("任何公众号中都没有此 openid/UnionID 的用户")).toBeVisible();
  await page.goto(`/search?q=${encodeURIComponent("x".repeat(10_000))}`);
  await expect(page.getByText("内容太长，无法搜索：最多 200 个字符。")).toBeVisible();
});

test("the list filtered to people following at least two accounts counts what the simulator says", async ({
  page,
}) => {
  const truth = await simTruth();
  const expected = Object.entries(truth.accountsPerPerson)
    .filter(([k]) => Number(k) >= 2)
    .reduce((s, [, n]) => s + n, 0);
  await signIn(page, "marketer");
  await page.goto("/people");
  await expect(page.getByTestId("people-count")).toHaveText(
    `共 ${truth.uniquePeople + truth.followersWithoutUnionid} 人匹配`,
  );
  await page.getByLabel("至少关注几个号").fill("2");
  await page.getByRole("button", { name: "应用筛选" }).click();
  await expect(page).toHaveURL(/\/people\?min=2$/);
  await expect(page.getByTestId("people-count")).toHaveText(`共 ${expected} 人匹配`);
  const rows = page.getByRole("row").filter({ has: page.getByRole("link") });
  await expect(rows).toHaveCount(50);
  for (const count of await rows.locator("td:nth-child(3)").allTextContents())
    expect(Number(count)).toBeGreaterThanOrEqual(2);
  await page.getByRole("link", { name: "下一页" }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(page.getByRole("link", { name: "上一页" })).toBeVisible();
});

test("a marketer exports counts but not people; an admin's person-level export is audited", async ({
  page,
  browser,
}) => {
  await signIn(page, "marketer");
  await page.goto("/people?min=2");
  await expect(page.getByRole("link", { name: "导出用户（CSV）" })).toHaveCount(0);
  const refused = await page.request.get("/api/export/people?min=2");
  expect(refused.status()).toBe(403);
  const counts = await page.request.get("/api/export/people-counts?min=2");
  expect(counts.status()).toBe(200);
  const text = await counts.text();
  expect(text.startsWith("\uFEFFaccounts_followed_now,number_of_accounts,people")).toBe(true);
  expect(text).not.toMatch(/\bo[A-Za-z0-9_-]{27}\b/);

  const admin = await browser.newPage();
  await signIn(admin, "admin");
  const exported = await admin.request.get("/api/export/people?min=2");
  expect(exported.status()).toBe(200);
  const lines = (await exported.text()).trim().split("\r\n");
  const truth = await simTruth();
  const atLeastTwo = Object.entries(truth.accountsPerPerson)
    .filter(([k]) => Number(k) >= 2)
    .reduce((s, [, n]) => s + n, 0);
  expect(lines).toHaveLength(atLeastTwo + 1);
  const audited = readDb((db) =>
    db
      .prepare("SELECT actor_email FROM audit_log WHERE action = 'people.exported' ORDER BY id DESC LIMIT 1")
      .pluck()
      .get(),
  );
  expect(audited).toBe("admin@e2e.test");
});
