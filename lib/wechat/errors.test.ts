import { describe, expect, it } from "vitest";
import { categoryOf, cleanErrmsg, WeChatError } from "./errors";

describe("WeChat error table", () => {
  it.each([
    [-1, "retry"],
    [40001, "refresh-token"],
    [40014, "refresh-token"],
    [42001, "refresh-token"],
    [45011, "back-off"],
    [45009, "quota-exhausted"],
    [40013, "bad-credentials"],
    [40125, "bad-credentials"],
    [40164, "ip-not-whitelisted"],
    [48001, "no-permission"],
    [50004, "account-blocked"],
    [40243, "account-blocked"],
    [40003, "bad-request"],
    [40032, "bad-request"],
    [99999, "unknown"],
  ])("errcode %i is %s", (code, category) => {
    expect(categoryOf(code)).toBe(category);
  });

  it("drops the changing rid and any token from errmsg", () => {
    expect(cleanErrmsg("invalid credential rid: 5f1a-22b")).toBe("invalid credential");
    expect(cleanErrmsg("bad url ?access_token=SECRET123&x=1 rid: 1")).toBe("bad url ?access_token=***&x=1");
  });

  it("explains 40164 with the IP WeChat saw, in both languages", () => {
    const error = new WeChatError({
      errcode: 40164,
      errmsg: "invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist rid: 64b0",
      path: "/cgi-bin/stable_token",
    });
    expect(error.ip).toBe("1.2.3.4");
    expect(error.explain("en")).toContain("1.2.3.4");
    expect(error.explain("en")).toContain("IP whitelist");
    expect(error.explain("zh-CN")).toContain("IP 白名单");
  });

  it("names the API for a missing permission and keeps an unknown code", () => {
    expect(new WeChatError({ errcode: 48001, path: "/cgi-bin/user/get" }).explain("en")).toContain(
      "/cgi-bin/user/get",
    );
    const unknown = new WeChatError({ errcode: 61451, errmsg: "something new", path: "/x" });
    expect(unknown.category).toBe("unknown");
    expect(unknown.errcode).toBe(61451);
    expect(unknown.explain("en")).toContain("61451");
  });
});
