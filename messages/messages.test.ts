import { describe, expect, it } from "vitest";
import en from "./en.json";
import zh from "./zh-CN.json";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)/g)].map((m) => m[1]!).sort();
}

describe("message files", () => {
  it("have the same keys in Chinese and English", () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });

  it("use the same placeholders in both languages", () => {
    const lookup = (root: unknown, path: string) =>
      path.split(".").reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], root) as string;
    for (const key of keys(zh)) {
      const zhNames = new Set(placeholders(lookup(zh, key)).filter((n) => n !== "count"));
      const enNames = new Set(placeholders(lookup(en, key)).filter((n) => n !== "count"));
      expect([key, ...enNames]).toEqual([key, ...zhNames]);
    }
  });
});
