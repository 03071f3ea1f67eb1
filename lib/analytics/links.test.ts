import { describe, expect, it } from "vitest";
import { parsePeopleParams } from "@/lib/people/filters";
import { links } from "./links";

const parse = (href: string) =>
  parsePeopleParams(Object.fromEntries(new URL(href, "http://x").searchParams)).filter;

describe("chart links open the people they count", () => {
  it("exclusive followers: that account and exactly one account", () => {
    expect(links.exclusive("wx1234567a")).toBe("/people?acc=wx1234567a&min=1&max=1");
    expect(parse(links.exclusive("wx1234567a"))).toMatchObject({ acc: ["wx1234567a"], min: 1, max: 1 });
  });
  it("a pair cell: both accounts", () => {
    expect(parse(links.pair("wx1234567a", "wx1234567b"))).toMatchObject({
      acc: ["wx1234567a", "wx1234567b"],
      match: "all",
      min: null,
      max: null,
    });
  });
  it("a histogram bar: exactly k accounts", () => {
    expect(parse(links.accountsFollowed(3))).toMatchObject({ acc: [], min: 3, max: 3, status: "current" });
  });
  it("shared followers, no unionid", () => {
    expect(parse(links.shared("wx1234567a"))).toMatchObject({ acc: ["wx1234567a"], min: 2, max: null });
    expect(parse(links.noUnionid())).toMatchObject({ noUnionid: true });
  });
});
