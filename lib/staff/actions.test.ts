import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Role } from "@/lib/auth/roles";
import { db, schema } from "@/lib/db";
import {
  actingStaff,
  formData,
  nextCacheMock,
  nextHeadersMock,
  nextIntlMock,
  nextNavigationMock,
} from "@/lib/testing/action-mocks";
import { useTempDatabase } from "@/lib/testing/temp-db";
import { insertStaff } from "./create";

vi.mock("next-intl/server", () => nextIntlMock);
vi.mock("next/headers", () => nextHeadersMock);
vi.mock("next/cache", () => nextCacheMock);
vi.mock("next/navigation", () => nextNavigationMock);
vi.mock("@/lib/auth/session", async () => (await import("@/lib/testing/action-mocks")).sessionMock());

const { changeStaffRole, createStaff, resetStaffPassword, setStaffDisabled } = await import("./actions");

const s = schema.staffUsers;
const row = (id: number) =>
  db()
    .select({ role: s.role, disabledAt: s.disabledAt, sv: s.sessionVersion })
    .from(s)
    .where(eq(s.id, id))
    .get()!;

async function member(email: string, role: Role) {
  const { id } = await insertStaff({ email, name: email, role, password: "a-long-password" });
  return { id, email, name: email, role };
}

let cleanup: () => void;
beforeEach(() => {
  cleanup = useTempDatabase();
});
afterEach(() => cleanup());

describe("staff actions guard the admins", () => {
  it("an admin can neither demote, disable nor reset themselves", async () => {
    const ada = await member("ada@example.com", "admin");
    await member("bob@example.com", "admin");
    actingStaff.current = ada;
    const id = String(ada.id);
    expect(await changeStaffRole({ ok: false }, formData({ id, role: "support" }))).toMatchObject({
      ok: false,
      message: "staff.errors.notYourself",
    });
    expect(await setStaffDisabled({ ok: false }, formData({ id, disabled: "true" }))).toMatchObject({
      ok: false,
      message: "staff.errors.notYourself",
    });
    expect(await resetStaffPassword({ ok: false }, formData({ id }))).toMatchObject({ ok: false });
    expect(row(ada.id)).toMatchObject({ role: "admin", disabledAt: null, sv: 0 });
  });

  it("with self-changes refused an enabled admin always remains: a demoted admin is refused at once", async () => {
    const ada = await member("ada@example.com", "admin");
    const bob = await member("bob@example.com", "admin");
    const cid = await member("cid@example.com", "admin");
    actingStaff.current = ada;
    expect(
      await setStaffDisabled({ ok: false }, formData({ id: String(cid.id), disabled: "true" })),
    ).toMatchObject({
      ok: true,
    });
    // Bob, still enabled, demotes Ada: fine, Bob remains. Then nobody may remove Bob.
    actingStaff.current = bob;
    expect(
      await changeStaffRole({ ok: false }, formData({ id: String(ada.id), role: "marketer" })),
    ).toMatchObject({
      ok: true,
    });
    actingStaff.current = { ...ada, role: "marketer" };
    expect(
      await changeStaffRole({ ok: false }, formData({ id: String(bob.id), role: "support" })),
    ).toMatchObject({
      ok: false,
      message: "errors.forbidden",
    });
    expect(row(bob.id)).toMatchObject({ role: "admin", disabledAt: null });
    expect(row(ada.id).sv).toBe(1);
  });

  it("a demoted or disabled member's session version moves, so their token stops working", async () => {
    const ada = await member("ada@example.com", "admin");
    const sam = await member("sam@example.com", "support");
    actingStaff.current = ada;
    await changeStaffRole({ ok: false }, formData({ id: String(sam.id), role: "marketer" }));
    await setStaffDisabled({ ok: false }, formData({ id: String(sam.id), disabled: "true" }));
    expect(row(sam.id)).toMatchObject({ role: "marketer", sv: 2 });
    expect(row(sam.id).disabledAt).not.toBeNull();
  });

  it("refuses a support user and malformed ids with sentences", async () => {
    const sam = await member("sam@example.com", "support");
    actingStaff.current = sam;
    expect(await setStaffDisabled({ ok: false }, formData({ id: "1", disabled: "true" }))).toEqual({
      ok: false,
      message: "errors.forbidden",
    });
    actingStaff.current = await member("ada@example.com", "admin");
    expect(await setStaffDisabled({ ok: false }, formData({ id: "1 OR 1=1", disabled: "true" }))).toEqual({
      ok: false,
      message: "staff.errors.notFound",
    });
    expect(row(sam.id).disabledAt).toBeNull();
  });

  it("two admins adding the same email at once: one is created, the other gets the email-taken sentence", async () => {
    actingStaff.current = await member("ada@example.com", "admin");
    const form = () => formData({ email: "new@example.com", name: "New", role: "support", password: "" });
    const results = await Promise.all([
      createStaff({ ok: false }, form()),
      createStaff({ ok: false }, form()),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ errors: { email: ["staff.errors.emailTaken"] } });
  });
});
