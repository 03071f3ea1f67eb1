import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { db, schema } from "@/lib/db";
import {
  actingStaff,
  formData,
  nextCacheMock,
  nextHeadersMock,
  nextIntlMock,
  nextNavigationMock,
} from "@/lib/testing/action-mocks";
import { resetProcessCaches, useTempDatabase } from "@/lib/testing/temp-db";
import { insertAccount, MAX_ACCOUNTS } from "./store";

vi.mock("next-intl/server", () => nextIntlMock);
vi.mock("next/headers", () => nextHeadersMock);
vi.mock("next/cache", () => nextCacheMock);
vi.mock("next/navigation", () => nextNavigationMock);
vi.mock("@/lib/auth/session", async () => (await import("@/lib/testing/action-mocks")).sessionMock());
// The connection test would call WeChat: here the credentials are always fine.
vi.mock("./connection", () => ({
  testCredentials: async () => ({ ok: true, remain: 100, dailyLimit: 100 }),
  testStoredAccount: async () => ({ ok: true, remain: 100, dailyLimit: 100 }),
  recordTestOutcome: () => {},
}));

const { createAccount, updateAccount } = await import("./actions");

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

let cleanup: () => void;
beforeEach(() => {
  cleanup = useTempDatabase();
  actingStaff.current = { id: 1, email: "admin@example.com", name: "Admin", role: "admin" };
});
afterEach(() => cleanup());

describe("createAccount", () => {
  it("refuses a 32nd account with a sentence instead of throwing, and stores nothing", async () => {
    for (let i = 0; i < MAX_ACCOUNTS; i++)
      insertAccount({
        name: `号 ${i}`,
        appid: `wx${hex(8)}`,
        originalId: `gh_${hex(6)}`,
        boundToOpenPlatform: true,
        appsecret: hex(16),
      });
    const result = await createAccount(
      { ok: false },
      formData({
        name: "One too many",
        appid: `wx${hex(8)}`,
        originalId: `gh_${hex(6)}`,
        appsecret: hex(16),
      }),
    );
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining("accounts.errors.tooMany") });
    expect(db().select({ id: schema.accounts.id }).from(schema.accounts).all()).toHaveLength(MAX_ACCOUNTS);
  });

  it("refuses a marketer before looking at the form", async () => {
    actingStaff.current = { id: 2, email: "m@example.com", name: "M", role: "marketer" };
    const result = await createAccount({ ok: false }, formData({}));
    expect(result).toEqual({ ok: false, message: "errors.forbidden" });
  });

  it("updateAccount under the wrong UNIONVIEW_SECRET_KEY refuses a new appid with the key sentence instead of throwing", async () => {
    const appid = `wx${hex(8)}`;
    const id = insertAccount({
      name: "号",
      appid,
      originalId: `gh_${hex(6)}`,
      boundToOpenPlatform: true,
      appsecret: hex(16),
    });
    process.env.UNIONVIEW_SECRET_KEY = randomBytes(32).toString("base64");
    resetProcessCaches();
    const result = await updateAccount(
      { ok: false },
      formData({
        id,
        name: "号",
        appid: `wx${hex(8)}`,
        originalId: `gh_${hex(6)}`,
        boundToOpenPlatform: "on",
      }),
    );
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining("keyCheck.body") });
    expect(db().select({ appid: schema.accounts.appid }).from(schema.accounts).get()).toEqual({ appid });
  });
});
