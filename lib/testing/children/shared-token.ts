/**
 * Child process for the shared-token test: a separate process with its own client and connection
 * to the same database file, making N calls. Prints one JSON line with what happened.
 * Usage: tsx lib/wechat/shared-token.child.ts <db file> <base url> <appid> <secret> <calls> <stable|plain>
 */
import { drizzle } from "drizzle-orm/better-sqlite3";
import { openSqlite } from "@/lib/db/connection";
import { WeChatError } from "@/lib/wechat/errors";
import { plainCodec, testClient } from "@/lib/wechat/testing";

async function main() {
  const [file, baseUrl, appid, secret, calls, mode] = process.argv.slice(2);
  if (!file || !baseUrl || !appid || !secret || !calls)
    throw new Error("usage: <db> <base> <appid> <secret> <calls>");
  const client = testClient(
    drizzle(openSqlite(file)),
    baseUrl,
    { appid, secret },
    { tokenCodec: plainCodec, concurrency: 4, tokenMode: mode === "plain" ? "plain" : "stable" },
  );
  let ok = 0;
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: Number(calls) }, async () => {
      try {
        await client.tags();
        ok++;
      } catch (error) {
        failures.push(error instanceof WeChatError ? `${error.errcode}` : String(error));
      }
    }),
  );
  console.log(JSON.stringify({ ok, failures }));
}

main().catch((error: unknown) => {
  console.log(JSON.stringify({ ok: 0, failures: [String(error)] }));
  process.exit(1);
});
