import { openSqlite } from "@/lib/db/connection";
import { enqueueSync } from "@/lib/sync/queue";
const db = openSqlite(process.env.DATABASE_URL!);
const id = db.prepare("SELECT id FROM accounts").pluck().get() as string;
console.log(enqueueSync(db, { accountId: id, kind: "full", triggeredBy: "bench", now: Date.now() }));
