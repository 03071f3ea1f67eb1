import "server-only";
import { db, schema } from "@/lib/db";

/** Followers and last sync per account, from the maintained counts. */
export function accountSyncState() {
  const c = schema.accountCounts;
  return new Map(
    db()
      .select({
        accountId: c.accountId,
        followers: c.followers,
        reportedTotal: c.reportedTotal,
        lastSyncAt: c.lastSyncAt,
      })
      .from(c)
      .all()
      .map((row) => [row.accountId, row]),
  );
}
