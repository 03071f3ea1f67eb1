import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { db, schema } from "@/lib/db";
import { actingStaff } from "@/lib/testing/action-mocks";
import { useTempDatabase } from "@/lib/testing/temp-db";

vi.mock("@/lib/auth/session", async () => (await import("@/lib/testing/action-mocks")).sessionMock());

const people = await import("@/app/api/export/people/route");
const counts = await import("@/app/api/export/people-counts/route");

let cleanup: () => void;
beforeEach(() => {
  cleanup = useTempDatabase();
  actingStaff.current = { id: 1, email: "admin@example.com", name: "Admin", role: "admin" };
});
afterEach(() => cleanup());

describe("the people exports", () => {
  for (const [name, route] of [
    ["people", people],
    ["people-counts", counts],
  ] as const) {
    it(`${name}: a malformed filter is refused with a sentence naming it, not exported as a wider set`, async () => {
      const response = await route.GET(
        new Request(`http://localhost/api/export/${name}?min=lots&status=current&sort=sideways`),
      );
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: string };
      expect(body.error).toMatch(/min, sort/);
      expect(db().select().from(schema.auditLog).all()).toHaveLength(0);
    });

    it(`${name}: a well-formed filter is exported and audited`, async () => {
      const response = await route.GET(new Request(`http://localhost/api/export/${name}?min=2`));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/csv");
      await response.text();
      expect(db().select({ action: schema.auditLog.action }).from(schema.auditLog).all()).toHaveLength(1);
    });
  }
});
