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
      Array.from({ length: 40 }, (_, i) => checkSignIn("ann@example.com", `wrong${i}`, "10.0.0.2")),
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
});
