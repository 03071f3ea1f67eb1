import { describe, expect, it } from "vitest";
import { safeRedirect } from "./redirect";

describe("the path a sign-in returns to", () => {
  it("keeps a path on this site, with its query", () => {
    expect(safeRedirect("/people?acc=wx1234567890abcdef")).toBe("/people?acc=wx1234567890abcdef");
    expect(safeRedirect("/overview")).toBe("/overview");
  });

  it("refuses anything a browser would take to another site", () => {
    for (const target of [
      "https://evil.example",
      "//evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/\\/evil.example",
      "/\t/evil.example",
      " //evil.example",
      "javascript:alert(1)",
    ])
      expect(safeRedirect(target), target).toBe("/");
  });

  it("refuses the sign-in page itself and anything that is not text", () => {
    expect(safeRedirect("/login?next=/x")).toBe("/");
    expect(safeRedirect(null)).toBe("/");
    expect(safeRedirect(new File([], "x"))).toBe("/");
  });
});
