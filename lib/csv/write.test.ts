import { describe, expect, it } from "vitest";
import { csvField, csvRow } from "./write";

describe("csv", () => {
  it("quotes commas, quotes and line breaks", () => {
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
  });

  it("neutralises formulas", () => {
    expect(csvField("=HYPERLINK()")).toBe("'=HYPERLINK()");
    expect(csvField("-1+1")).toBe("'-1+1");
    expect(csvField("@SUM")).toBe("'@SUM");
  });

  it("neutralises the full-width signs a Chinese spreadsheet may also start a formula with, and a leading line feed", () => {
    expect(csvField("＝HYPERLINK()")).toBe("'＝HYPERLINK()");
    expect(csvField("＋1")).toBe("'＋1");
    expect(csvField("－1")).toBe("'－1");
    expect(csvField("＠SUM")).toBe("'＠SUM");
    expect(csvField("\n=1+1")).toBe(`"'\n=1+1"`);
  });

  it("writes dates as ISO and empties for null", () => {
    expect(csvRow([new Date(0), null, undefined, "公众号"])).toBe("1970-01-01T00:00:00.000Z,,,公众号\r\n");
  });
});
