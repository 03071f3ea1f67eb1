import { describe, expect, it } from "vitest";
import { categoryOf, cleanErrmsg } from "./errors";

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
});
