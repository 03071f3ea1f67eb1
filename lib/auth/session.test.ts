import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { db, schema } from "@/lib/db";
import { insertStaff } from "@/lib/staff/create";
import { nextHeadersMock, nextNavigationMock } from "@/lib/testing/action-mocks";
import { useTempDatabase } from "@/lib/testing/temp-db";

/** The decoded JWT the request carries: what a user who signed in earlier still holds. */
const token: { current: { user: { id: string; role?: string; sessionVersion: number } } | null } = {
  current: null,
};
vi.mock("./auth", () => ({ auth: async () => token.current }));
vi.mock("next/headers", () => nextHeadersMock);
vi.mock("next/navigation", () => nextNavigationMock);

const { authorize } = await import("./session");

let cleanup: () => void;
let samId: number;
beforeEach(async () => {
  cleanup = useTempDatabase();
  samId = (
    await insertStaff({ email: "sam@example.com", name: "Sam", role: "admin", password: "a-long-password" })
  ).id;
  token.current = { user: { id: String(samId), role: "admin", sessionVersion: 0 } };
});
afterEach(() => cleanup());

const s = schema.staffUsers;

describe("authorize() re-reads the staff row on every call", () => {
  it("lets a current token through with the role from the database", async () => {
    expect(await authorize("staff:manage", "test")).toMatchObject({ ok: true, staff: { role: "admin" } });
  });

  it("refuses a still-unexpired token of a disabled user as signed out", async () => {
    db().update(s).set({ disabledAt: new Date() }).where(eq(s.id, samId)).run();
    expect(await authorize("people:view", "test")).toEqual({ ok: false, reason: "signed_out", staff: null });
  });

  it("refuses a token from before a role change or password reset (session version moved)", async () => {
    db().update(s).set({ sessionVersion: 1 }).where(eq(s.id, samId)).run();
    expect(await authorize("people:view", "test")).toMatchObject({ ok: false, reason: "signed_out" });
  });

  it("takes the role from the row, not from the token, and audits the refusal", async () => {
    db().update(s).set({ role: "support" }).where(eq(s.id, samId)).run();
    expect(await authorize("staff:manage", "test")).toMatchObject({ ok: false, reason: "forbidden" });
    expect(db().select({ action: schema.auditLog.action }).from(schema.auditLog).all()).toEqual([
      { action: "access.denied" },
    ]);
  });

  it("refuses a token for a deleted or nonsensical id", async () => {
    token.current = { user: { id: "999", sessionVersion: 0 } };
    expect((await authorize("people:view", "test")).ok).toBe(false);
    token.current = { user: { id: "1 OR 1=1", sessionVersion: 0 } };
    expect((await authorize("people:view", "test")).ok).toBe(false);
  });
});
