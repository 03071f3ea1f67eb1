import type { RunContext } from "../run-context";

/**
 * Listing: pages through user/get (ending on WeChat's count-0 page), staging every openid in
 * sync_listed with one statement per page (seq numbers continue from the staged count), each page
 * committed with the checkpoint. Returns false when the run was stopped.
 */
export async function listFollowers(run: RunContext): Promise<boolean> {
  const { sqlite, checkpoint } = run;
  const stage = sqlite.prepare(
    "INSERT OR IGNORE INTO sync_listed (run_id, seq, openid) SELECT ?, ? + key + 1, value FROM json_each(?)",
  );
  while (!checkpoint.listingDone) {
    if (!run.shouldContinue()) return false;
    run.checkBudget();
    const page = await run.client.followers(checkpoint.cursor);
    const openids = page.data?.openid ?? [];
    sqlite
      .transaction(() => {
        if (openids.length > 0) stage.run(run.runId, run.listed, JSON.stringify(openids));
        run.listed += openids.length;
        checkpoint.cursor = page.next_openid;
        checkpoint.listingDone = openids.length === 0 || !page.next_openid || page.count < 10_000;
        run.save("listing", { total: page.total });
      })
      .immediate();
  }
  return true;
}
