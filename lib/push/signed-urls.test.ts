import { describe, expect, it } from "vitest";
import { SignedUrlBinding } from "./signed-urls";

describe("SignedUrlBinding", () => {
  it("accepts a URL again with the same body, refuses it with another, per account", () => {
    const urls = new SignedUrlBinding(300);
    expect(urls.bind("a", "sig1", 1000, "<xml>1</xml>", 1000)).toBe(true);
    expect(urls.bind("a", "sig1", 1000, "<xml>1</xml>", 1001)).toBe(true);
    expect(urls.bind("a", "sig1", 1000, "<xml>2</xml>", 1001)).toBe(false);
    expect(urls.bind("b", "sig1", 1000, "<xml>2</xml>", 1001)).toBe(true);
  });

  it("forgets a URL once its timestamp has left the window, and never holds more than maxEntries", () => {
    const urls = new SignedUrlBinding(300, 3);
    urls.bind("a", "old", 1000, "x", 1000);
    urls.bind("a", "newer", 1200, "x", 1200);
    expect(urls.bind("a", "old", 1000, "y", 1301)).toBe(true);
    expect(urls.size).toBe(2);
    for (const sig of ["s1", "s2", "s3"]) urls.bind("a", sig, 1302, "x", 1302);
    expect(urls.size).toBe(3);
    expect(urls.bind("a", "s3", 1302, "other", 1302)).toBe(false);
  });
});
