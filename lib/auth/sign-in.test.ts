import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import { insertStaff } from "@/lib/staff/create";
import { useTempDatabase } from "@/lib/testing/temp-db";
import { checkSignIn } from "./sign-in";

let cleanup: () => void;
beforeEach(async () => {
  cleanup = useTempDatabase();
  await insertStaff({
    email: "Ann@Example.com",
    name: "Ann",
    role: "marketer",
    password: "correct horse battery",
  });
});
afterEach(() => cleanup());

const actions = () =>
  db()
    .select({ action: schema.auditLog.action, details: schema.auditLog.details })
    .from(schema.auditLog)
    .all();

describe("staff sign-in check", () => {
  it("accepts the right password, whatever the email's case, and audits it", async () => {
    const outcome = await checkSignIn("  ann@EXAMPLE.com ", "correct horse battery", "127.0.0.1");
    expect(outcome).toMatchObject({
      ok: true,
      user: { email: "ann@example.com", role: "marketer", sessionVersion: 0 },
    });
    expect(actions().map((a) => a.action)).toEqual(["auth.sign_in"]);
  });

  it("refuses a wrong password and an unknown email alike, auditing the reason", async () => {
    expect(await checkSignIn("ann@example.com", "wrong", null)).toEqual({ ok: false, reason: "invalid" });
    expect(await checkSignIn("bob@example.com", "wrong", null)).toEqual({ ok: false, reason: "invalid" });
    expect(actions().map((a) => JSON.parse(a.details!).reason)).toEqual(["wrong_password", "unknown_email"]);
  });

  it("locks after five failures, refuses even the right password, and the lock is audited", async () => {
    for (let i = 0; i < 4; i++)
      expect((await checkSignIn("ann@example.com", `wrong${i}`, null)).ok).toBe(false);
    const fifth = await checkSignIn("ann@example.com", "wrong", null);
    expect(fifth).toMatchObject({ ok: false, reason: "locked" });
    expect(await checkSignIn("ann@example.com", "correct horse battery", null)).toMatchObject({
      ok: false,
      reason: "locked",
    });
    expect(actions().filter((a) => a.action === "auth.locked")).toHaveLength(1);
  });

  it("refuses a disabled user only after the password checks out", async () => {
    db()
      .update(schema.staffUsers)
      .set({ disabledAt: new Date() })
      .where(eq(schema.staffUsers.email, "ann@example.com"))
      .run();
    expect(await checkSignIn("ann@example.com", "wrong", null)).toEqual({ ok: false, reason: "invalid" });
    expect(await checkSignIn("ann@example.com", "correct horse battery", null)).toEqual({
      ok: false,
      reason: "disabled",
    });
  });

  it("never writes what was typed into the email box to the audit log when it is not an email (it may be a password)", async () => {
    expect(await checkSignIn("Tr0ub4dor&3-my-password", "Tr0ub4dor&3-my-password", "10.0.0.1")).toEqual({
      ok: false,
      reason: "invalid",
    });
    const rows = db().select().from(schema.auditLog).all();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain("Tr0ub4dor");
    expect(rows[0]).toMatchObject({ action: "auth.sign_in_failed", actorEmail: null });
    expect(JSON.parse(rows[0]!.details!)).toMatchObject({ reason: "not_an_email" });
  });

  it("still names an unknown but well-formed email in the audit log", async () => {
    await checkSignIn("mallory@example.com", "guess", null);
    expect(db().select().from(schema.auditLog).all()[0]).toMatchObject({ actorEmail: "mallory@example.com" });
  });

  it("lets no more than five parallel wrong passwords be checked before the lock takes effect", async () => {
    const outcomes = await Promise.all(
      // From 40 addresses, so the per-client limit stays out of the way.
      Array.from({ length: 40 }, (_, i) =>
        checkSignIn("ann@example.com", `wrong${i}`, null, { address: `10.0.0.${i}` }),
      ),
    );
    const reasons = actions()
      .filter((a) => a.action === "auth.sign_in_failed")
      .map((a) => JSON.parse(a.details!).reason);
    expect(reasons.filter((r) => r === "wrong_password")).toHaveLength(5);
    expect(reasons.filter((r) => r === "locked")).toHaveLength(35);
    expect(outcomes.filter((o) => !o.ok && o.reason === "locked")).toHaveLength(36);
    const [row] = db().select().from(schema.loginThrottle).all();
    expect(row).toMatchObject({ email: "ann@example.com", failures: 5 });
    expect(row!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
  }, 120_000);

  it("checks no more than ten attempts in a burst from one client, whatever the emails; other clients go on", async () => {
    const outcomes = [];
    for (let i = 0; i < 30; i++)
      outcomes.push(await checkSignIn(`user${i}@example.com`, "guess", null, { address: "203.0.113.9" }));
    expect(outcomes.filter((o) => !o.ok && o.reason === "invalid")).toHaveLength(10);
    const throttled = outcomes.filter((o) => !o.ok && o.reason === "throttled");
    expect(throttled).toHaveLength(20);
    expect(throttled[0]).toMatchObject({ retryAfterMs: expect.any(Number) });
    // One audit row for the whole run of refusals, not one per request.
    expect(actions().filter((a) => a.action === "auth.throttled")).toHaveLength(1);
    expect(actions().filter((a) => a.action === "auth.sign_in_failed")).toHaveLength(10);
    expect(
      await checkSignIn("ann@example.com", "correct horse battery", null, { address: "198.51.100.7" }),
    ).toMatchObject({
      ok: true,
    });
  }, 60_000);

  it("does not let a stranger lock the owner out of a browser the owner signed in with before", async () => {
    const first = await checkSignIn("ann@example.com", "correct horse battery", null, {
      address: "10.1.1.1",
    });
    expect(first.ok).toBe(true);
    const deviceCookie = first.ok ? first.newDeviceToken : undefined;
    expect(deviceCookie).toMatch(/^[\w-]+\.[\w-]+$/);

    for (let i = 0; i < 6; i++)
      await checkSignIn("ann@example.com", `guess${i}`, null, { address: `10.2.2.${i}` });
    expect(
      await checkSignIn("ann@example.com", "correct horse battery", null, { address: "10.3.3.3" }),
    ).toMatchObject({
      ok: false,
      reason: "locked",
    });
    // The owner's browser still gets in, and is not given a second token.
    const owner = await checkSignIn("ann@example.com", "correct horse battery", null, {
      address: "10.1.1.1",
      deviceCookie,
    });
    expect(owner).toMatchObject({ ok: true });
    expect(owner.ok && owner.newDeviceToken).toBeFalsy();
  }, 60_000);

  it("trusts a device token only for the email it was issued to and only with its signature", async () => {
    await insertStaff({
      email: "bob@example.com",
      name: "Bob",
      role: "support",
      password: "bob's long password",
    });
    const ann = await checkSignIn("ann@example.com", "correct horse battery", null);
    const annToken = ann.ok ? ann.newDeviceToken! : "";
    for (let i = 0; i < 5; i++)
      await checkSignIn("bob@example.com", `guess${i}`, null, { address: `10.4.4.${i}` });
    const [nonce] = annToken.split(".");
    for (const deviceCookie of [annToken, `${nonce}.${"A".repeat(43)}`])
      expect(
        await checkSignIn("bob@example.com", "bob's long password", null, { deviceCookie }),
      ).toMatchObject({
        ok: false,
        reason: "locked",
      });
  }, 60_000);

  it("locks a trusted browser that keeps guessing, without touching the email's lock for other browsers", async () => {
    const first = await checkSignIn("ann@example.com", "correct horse battery", null);
    const deviceCookie = first.ok ? first.newDeviceToken : undefined;
    for (let i = 0; i < 4; i++) await checkSignIn("ann@example.com", `guess${i}`, null, { deviceCookie });
    expect(await checkSignIn("ann@example.com", "guess", null, { deviceCookie })).toMatchObject({
      reason: "locked",
    });
    expect(db().select().from(schema.loginThrottle).all()).toEqual([]);
    expect(db().select().from(schema.loginDeviceThrottle).all()).toMatchObject([{ failures: 5 }]);
    expect(
      await checkSignIn("ann@example.com", "correct horse battery", null, { address: "10.5.5.5" }),
    ).toMatchObject({
      ok: true,
    });
  }, 60_000);
});
