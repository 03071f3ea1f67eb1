import { describe, expect, it } from "vitest";
import { parseRange } from "./range";

const now = Date.parse("2026-03-10T20:00:00Z"); // 2026-03-11 in Beijing

describe("trend date range", () => {
  it("defaults to the last 30 Beijing days", () => {
    const range = parseRange({}, now);
    expect(range).toMatchObject({ from: "2026-02-10", to: "2026-03-11" });
    expect(range.presets.find((p) => p.days === 30)).toMatchObject({ active: true });
  });
  it("keeps a valid range, swaps a reversed one and ignores garbage", () => {
    expect(parseRange({ from: "2026-01-01", to: "2026-01-31" }, now)).toMatchObject({
      from: "2026-01-01",
      to: "2026-01-31",
    });
    expect(parseRange({ from: "2026-02-01", to: "2026-01-01" }, now)).toMatchObject({
      from: "2026-01-01",
      to: "2026-02-01",
    });
    expect(parseRange({ from: "yesterday", to: "2026-13-40" }, now)).toMatchObject({
      from: "2026-02-10",
      to: "2026-03-11",
    });
  });
});
