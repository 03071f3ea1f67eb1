import { describe, expect, it } from "vitest";
import { can, homeFor, isRole, navFor, PERMISSIONS, ROLES } from "./roles";

describe("role helper", () => {
  it("gives admin every permission", () => {
    for (const permission of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
      expect(can("admin", permission)).toBe(true);
    }
  });

  it("keeps credentials, staff, audit and the System page admin-only", () => {
    expect(can("admin", "system:view")).toBe(true);
    for (const role of ["marketer", "support"] as const) {
      expect(can(role, "system:view")).toBe(false);
      expect(can(role, "accounts:manage")).toBe(false);
      expect(can(role, "staff:manage")).toBe(false);
      expect(can(role, "audit:view")).toBe(false);
    }
  });

  it("lets marketers slice people but export only counts, and support work on people without the overview", () => {
    expect(can("marketer", "overview:view")).toBe(true);
    expect(can("marketer", "people:view")).toBe(true);
    expect(can("marketer", "people:edit")).toBe(false);
    expect(can("marketer", "people:export")).toBe(false);
    expect(can("marketer", "people:export-counts")).toBe(true);
    expect(can("support", "people:view")).toBe(true);
    expect(can("support", "people:edit")).toBe(true);
    expect(can("support", "people:export")).toBe(false);
    expect(can("support", "overview:view")).toBe(false);
  });

  it("lets marketers start syncs but only admins cancel them", () => {
    expect(can("marketer", "syncs:run")).toBe(true);
    expect(can("marketer", "syncs:cancel")).toBe(false);
    expect(can("support", "syncs:run")).toBe(false);
    expect(can("admin", "syncs:cancel")).toBe(true);
  });

  it("refuses a missing role", () => {
    expect(can(null, "overview:view")).toBe(false);
    expect(can(undefined, "people:view")).toBe(false);
  });

  it("recognises only the three roles", () => {
    expect(ROLES.every(isRole)).toBe(true);
    expect(isRole("root")).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });

  it("builds each role's navigation and home from the permissions", () => {
    expect(navFor("admin").map((i) => i.label)).toEqual([
      "overview",
      "people",
      "accounts",
      "syncs",
      "staff",
      "audit",
      "apiKeys",
      "webhooks",
      "system",
    ]);
    expect(navFor("marketer").map((i) => i.label)).toEqual(["overview", "people", "syncs"]);
    expect(navFor("support").map((i) => i.label)).toEqual(["people"]);
    expect(homeFor("support")).toBe("/people");
    expect(homeFor("marketer")).toBe("/overview");
  });
});
