import { vi } from "vitest";
import type { Role } from "@/lib/auth/roles";

/**
 * Stand-ins for the Next.js request APIs a server action touches, so an action can be called from
 * vitest like a function. Use with vi.mock in the test file, e.g.
 *   vi.mock("next-intl/server", () => nextIntlMock);
 * Translations come back as "<namespace>.<key>" followed by the values as JSON, so a test can tell a
 * translated sentence from a raw error.
 */
export const nextIntlMock = {
  getLocale: async () => "en",
  getTranslations: async (namespace?: string) => (key: string, values?: Record<string, unknown>) =>
    `${namespace ? `${namespace}.` : ""}${key}${values ? ` ${JSON.stringify(values)}` : ""}`,
};

export const nextHeadersMock = {
  headers: async () => new Headers(),
  cookies: async () => ({ set: vi.fn(), get: vi.fn() }),
};

export const nextCacheMock = { revalidatePath: vi.fn() };

export const nextNavigationMock = {
  redirect: (url: string) => {
    throw Object.assign(new Error(`NEXT_REDIRECT ${url}`), { digest: `NEXT_REDIRECT;replace;${url};307;` });
  },
  forbidden: () => {
    throw new Error("NEXT_FORBIDDEN");
  },
  notFound: () => {
    throw new Error("NEXT_NOT_FOUND");
  },
};

/** Who authorize() lets through; set it per test (null = signed out). */
export const actingStaff: { current: { id: number; email: string; name: string; role: Role } | null } = {
  current: null,
};

export function formData(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

/**
 * `@/lib/auth/session` with authorize() and currentStaff() answering for `actingStaff`, by the real
 * role table: `vi.mock("@/lib/auth/session", () => sessionMock())`.
 */
export async function sessionMock() {
  const { can } = await import("@/lib/auth/roles");
  return {
    currentStaff: async () => actingStaff.current,
    authorize: async (permission: Parameters<typeof can>[1]) => {
      const staff = actingStaff.current;
      if (!staff) return { ok: false, reason: "signed_out", staff: null };
      return can(staff.role, permission) ? { ok: true, staff } : { ok: false, reason: "forbidden", staff };
    },
  };
}
