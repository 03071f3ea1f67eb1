import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db, schema } from "@/lib/db";
import { insertStaff } from "@/lib/staff/create";
import { useTempDatabase } from "@/lib/testing/temp-db";
import { revokeToken, tokenStillValid } from "./revocation";

let cleanup: () => void;
let id: number;
beforeEach(async () => {
  cleanup = useTempDatabase();
  ({ id } = await insertStaff({
    email: "ada@example.com",
    name: "Ada",
    role: "admin",
    password: "a-long-password",
  }));
});
afterEach(() => cleanup());

describe("token revocation", () => {
  it("revokes a current token once (audited); the token and its copies stop standing", () => {
    const token = { sub: String(id), sv: 0 };
    expect(tokenStillValid(token)).toBe(true);
    expect(revokeToken(token, "10.0.0.1")).toBe(true);
    expect(tokenStillValid(token)).toBe(false);
    expect(revokeToken(token)).toBe(false);
    expect(tokenStillValid({ sub: String(id), sv: 1 })).toBe(true);
    expect(db().select({ action: schema.auditLog.action }).from(schema.auditLog).all()).toEqual([
      { action: "auth.sign_out" },
    ]);
  });

  it("does not accept tokens without a version, for another id, or of nonsense", () => {
    for (const token of [{ sub: String(id) }, { sub: String(id + 1), sv: 0 }, { sub: "x", sv: 0 }, {}])
      expect(tokenStillValid(token)).toBe(false);
  });
});
