import { expect, type Page } from "@playwright/test";
import { accountForm, addAccountThroughForm, readDb, signIn, simAccounts } from "../support/helpers";

/**
 * The audience specs compare what the dashboard shows with the simulator's ground truth, so every
 * simulator account must be registered, enabled and freshly synced. The earlier specs leave some
 * registered (and one deleted): register the missing ones through the form, then sync all.
 */
export async function syncEverySimAccount(page: Page): Promise<void> {
  await signIn(page, "admin");
  const registered = new Set(
    readDb((db) => db.prepare("SELECT appid FROM accounts").pluck().all() as string[]),
  );
  const sims = await simAccounts();
  for (let index = 0; index < sims.length; index++) {
    if (registered.has(sims[index]!.appid)) continue;
    const account = await accountForm(index, `受众测试号 ${index + 1}`);
    await addAccountThroughForm(page, account);
  }
  const disabled = readDb((db) =>
    db.prepare("SELECT count(*) FROM accounts WHERE disabled_at IS NOT NULL").pluck().get(),
  );
  expect(disabled, "an earlier spec left an account disabled").toBe(0);
  const before = readDb(
    (db) => db.prepare("SELECT coalesce(max(id), 0) FROM sync_runs").pluck().get() as number,
  );
  await page.goto("/syncs");
  await page.getByRole("button", { name: "同步全部公众号" }).first().click();
  // Every account has a run queued after `before`, and none of those is still going.
  const finished = () =>
    readDb(
      (db) =>
        db
          .prepare(
            `SELECT count(DISTINCT account_id) FROM sync_runs WHERE id > ? AND status IN ('done', 'failed', 'cancelled')`,
          )
          .pluck()
          .get(before) as number,
    );
  await expect.poll(finished, { timeout: 60_000 }).toBe(sims.length);
  const failed = readDb((db) =>
    db.prepare("SELECT count(*) FROM sync_runs WHERE id > ? AND status != 'done'").pluck().get(before),
  );
  expect(failed).toBe(0);
}

export async function simTruth() {
  const response = await fetch(`http://127.0.0.1:${process.env.E2E_SIM_PORT}/__sim/truth`);
  return (await response.json()) as {
    uniquePeople: number;
    followersWithoutUnionid: number;
    summedFollows: number;
    accountsPerPerson: Record<string, number>;
  };
}
