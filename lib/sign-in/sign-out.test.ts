import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { insertStaff } from "@/lib/staff/create";
import { nextHeadersMock, nextIntlMock, nextNavigationMock } from "@/lib/testing/action-mocks";
import { useTempDatabase } from "@/lib/testing/temp-db";

/** The signed JWT cookie: a copy of it (a shared computer, a stolen cookie) outlives the browser's sign-out. */
const token: { current: { user: { id: string; sessionVersion: number } } | null } = { current: null };
vi.mock("@/lib/auth/auth", () => ({
  auth: async () => token.current,
  signIn: vi.fn(),
  signOut: vi.fn(async () => {}),
}));
vi.mock("next-auth", () => ({
  AuthError: class extends Error {},
  CredentialsSignin: class extends Error {},
}));
vi.mock("next/headers", () => nextHeadersMock);
vi.mock("next/navigation", () => nextNavigationMock);
vi.mock("next-intl/server", () => nextIntlMock);

const { signOutAction } = await import("./actions");
const { authorize } = await import("@/lib/auth/session");

let cleanup: () => void;
beforeEach(async () => {
  cleanup = useTempDatabase();
  const { id } = await insertStaff({
    email: "ada@example.com",
    name: "Ada",
    role: "admin",
    password: "a-long-password",
  });
  token.current = { user: { id: String(id), sessionVersion: 0 } };
});
afterEach(() => cleanup());

describe("signing out", () => {
  it("ends the token server-side too: a copy of the cookie no longer authorizes anything", async () => {
    expect((await authorize("staff:manage", "test")).ok).toBe(true);
    await signOutAction();
    expect(await authorize("staff:manage", "test")).toMatchObject({ ok: false, reason: "signed_out" });
  });
});
