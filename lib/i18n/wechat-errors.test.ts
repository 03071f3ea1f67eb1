import { describe, expect, it } from "vitest";
import { TRANSPORT_ERRCODE, WeChatError } from "@/lib/wechat/errors";
import en from "@/messages/en.json";
import zhCN from "@/messages/zh-CN.json";
import { explainWeChatError } from "./wechat-errors";

describe("WeChat errors explained from messages/", () => {
  it("explains 40164 with the IP WeChat saw, in both languages", () => {
    const error = new WeChatError({
      errcode: 40164,
      errmsg: "invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist rid: 64b0",
      path: "/cgi-bin/stable_token",
    });
    expect(error.ip).toBe("1.2.3.4");
    expect(explainWeChatError(error, "en")).toContain("1.2.3.4");
    expect(explainWeChatError(error, "en")).toContain("IP whitelist");
    expect(explainWeChatError(error, "zh-CN")).toContain("IP 白名单");
  });

  it("names the API for a missing permission and keeps an unknown code", () => {
    expect(
      explainWeChatError(new WeChatError({ errcode: 48001, path: "/cgi-bin/user/get" }), "en"),
    ).toContain("/cgi-bin/user/get");
    const unknown = new WeChatError({ errcode: 61451, errmsg: "something new", path: "/x" });
    expect(unknown.category).toBe("unknown");
    expect(unknown.errcode).toBe(61451);
    expect(explainWeChatError(unknown, "en")).toContain("61451");
  });

  it("has a sentence in both languages for every code it categorises, with the same placeholders", () => {
    const codes = Object.keys(en.wechatErrors).filter((k) => k.startsWith("e"));
    expect(codes).toContain(`e${TRANSPORT_ERRCODE.budget}`);
    for (const key of codes) {
      const zh = (zhCN.wechatErrors as Record<string, string>)[key]!;
      const english = (en.wechatErrors as Record<string, string>)[key]!;
      expect(zh, key).toBeTruthy();
      const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(placeholders(zh), key).toEqual(placeholders(english));
    }
  });

  it("explains a stored error (a run's code and raw message) like the thrown one", () => {
    const stored = explainWeChatError(
      { errcode: 40164, raw: "invalid ip 5.6.7.8, not in whitelist" },
      "zh-CN",
    );
    expect(stored).toContain("5.6.7.8");
  });
});
