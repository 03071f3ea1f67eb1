import { expect, test, type Page } from "@playwright/test";
import { accountForm, addAccountThroughForm, readDb, signIn } from "./support/helpers";

test.describe.configure({ mode: "serial" });

const NAME = "同步测试号";

/** Presses "Sync now" and returns the table row of the run it queued (named in the toast). */
async function startAndFindRun(page: Page) {
  await page.getByRole("button", { name: `立即同步 ${NAME}` }).click();
  const toast = page.getByText(new RegExp(`已为「${NAME}」排队同步（#(\\d+)）`));
  await expect(toast).toBeVisible();
  const runId = /#(\d+)/.exec((await toast.textContent()) ?? "")?.[1];
  return page.getByRole("row").filter({ has: page.getByRole("link", { name: `#${runId}`, exact: true }) });
}

test("an admin syncs an account from the UI, watches it finish, and sees what changed", async ({ page }) => {
  const account = await accountForm(2, NAME);
  await signIn(page, "admin");
  await addAccountThroughForm(page, account);

  await page.getByRole("link", { name: "同步", exact: true }).click();
  const firstRow = await startAndFindRun(page);
  await expect(firstRow).toContainText("已完成", { timeout: 30_000 });
  await firstRow.getByRole("link").first().click();
  await expect(page.getByText(/这是该公众号的首次导入：导入了 \d+ 位关注者/)).toBeVisible();

  // People come and go on WeChat; the next sync says who.
  const sim = `http://127.0.0.1:${process.env.E2E_SIM_PORT}`;
  const churn = (await (
    await fetch(`${sim}/__sim/churn`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ appid: account.appid, follow: 3, unfollow: 2 }),
    })
  ).json()) as { accounts: { followed: string[]; unfollowed: string[] }[] };
  const changed = churn.accounts[0]!;

  await page.goto("/syncs");
  const secondRow = await startAndFindRun(page);
  await expect(secondRow).toContainText("已完成", { timeout: 30_000 });
  await expect(secondRow).toContainText("增量");
  await secondRow.getByRole("link").first().click();
  const left = page.getByRole("region", { name: /取消关注/ });
  const joined = page.getByRole("region", { name: /新关注|重新关注/ }).first();
  for (const openid of changed.unfollowed) await expect(left).toContainText(openid);
  for (const openid of changed.followed) await expect(page.getByText(openid)).toBeVisible();
  await expect(joined).toBeVisible();

  // Each openid opens the person it belongs to.
  const leaver = changed.unfollowed[0]!;
  await left.getByRole("link", { name: leaver, exact: true }).click();
  await expect(page).toHaveURL(/\/people\/\d+$/);
  await expect(page.getByTestId("openid").filter({ hasText: leaver })).toBeVisible();
});

test("a marketer can start syncs but not cancel them", async ({ page }) => {
  await signIn(page, "marketer");
  await page.goto("/syncs");
  await expect(page.getByRole("button", { name: `立即同步 ${NAME}` })).toBeVisible();
  await expect(page.getByRole("button", { name: /^取消/ })).toHaveCount(0);
  await expect(page.getByRole("row").filter({ hasText: NAME }).first()).toContainText("已完成");
});

test("“Sync all accounts” says how many it queued", async ({ page }) => {
  await signIn(page, "marketer");
  await page.goto("/syncs");
  await page.getByRole("button", { name: "同步全部公众号" }).first().click();
  await expect(page.getByText(/^已为全部 \d+ 个公众号排队同步。$/)).toBeVisible();
  // Leave no run behind for the specs that sync everything afterwards.
  const active = () =>
    readDb(
      (db) =>
        db
          .prepare("SELECT count(*) FROM sync_runs WHERE status IN ('queued', 'running', 'paused')")
          .pluck()
          .get() as number,
    );
  await expect.poll(active, { timeout: 60_000 }).toBe(0);
});
