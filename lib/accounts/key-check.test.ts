import { randomBytes, randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import { resetProcessCaches, useTempDatabase } from "@/lib/testing/temp-db";
import { checkSecretKey } from "./key-check";
import { openAccountSecret, sealAccountSecret } from "./secret-box";

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

let slot = 0;
function addAccount(appid: string, secret: string) {
  const id = randomUUID();
  db()
    .insert(schema.accounts)
    .values({
      id,
      name: appid,
      appid,
      slot: slot++,
      originalId: "gh_0123456789ab",
      appsecretSealed: sealAccountSecret(id, "appsecret", secret),
    })
    .run();
  return id;
}

describe("start-up key check", () => {
  it("passes on an empty database and when the key matches", () => {
    cleanup = useTempDatabase();
    expect(checkSecretKey()).toEqual({ ok: true });
    addAccount("wx0000000000000001", "a".repeat(32));
    expect(checkSecretKey()).toEqual({ ok: true });
  });

  it("names UNIONVIEW_SECRET_KEY when another key is configured, and rewrites nothing", () => {
    cleanup = useTempDatabase();
    const id = addAccount("wx0000000000000001", "b".repeat(32));
    addAccount("wx0000000000000002", "c".repeat(32));
    const before = db().select().from(schema.accounts).all();

    process.env.UNIONVIEW_SECRET_KEY = randomBytes(32).toString("base64");
    resetProcessCaches();
    const status = checkSecretKey();
    expect(status.ok).toBe(false);
    if (status.ok) return;
    expect(status.affectedAccounts).toBe(2);
    expect(status.message).toMatch(
      /^UNIONVIEW_SECRET_KEY cannot decrypt the stored credentials of 2 account/,
    );
    expect(status.message).toContain("Nothing has been changed");
    expect(db().select().from(schema.accounts).all()).toEqual(before);
    expect(() => openAccountSecret(id, "appsecret", before[0]!.appsecretSealed)).toThrow(
      /different UNIONVIEW_SECRET_KEY/,
    );
  });
});
