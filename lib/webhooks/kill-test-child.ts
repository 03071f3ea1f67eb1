/**
 * Used by delivery.test.ts: commits one follower change (its outbox row in the same transaction) and
 * starts delivering, then waits to be killed (SIGKILL) while the receiver holds the request open.
 */
import { FollowerWriter } from "@/lib/followers/writer";
import { sqlite } from "@/lib/db";
import { WebhookDelivery } from "./delivery";
import { openWebhookSecret } from "./endpoints";

const [accountId, slot, openid] = process.argv.slice(2) as [string, string, string];
const db = sqlite();
const writer = new FollowerWriter(db, { id: accountId, slot: Number(slot), bound: true }, Date.now);
db.transaction(() => {
  writer.applyProfiles([{ subscribe: 1, openid, subscribe_time: 1_700_000_000 }], {
    newFollowers: 0,
    returned: 0,
    updated: 0,
    unfollowed: 0,
  });
  writer.flush();
})();
console.log("committed");
new WebhookDelivery({ sqlite: db, openSecret: openWebhookSecret, allowPrivate: true, leaseMs: 1000 }).start();
setInterval(() => {}, 1 << 30);
