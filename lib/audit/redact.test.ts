import { describe, expect, it } from "vitest";
import { redactDetails } from "./record";

describe("audit details", () => {
  it("never keeps a value under a secret-looking key", () => {
    expect(
      redactDetails({
        appsecret: "abc",
        pushToken: "t",
        aesKey: "k",
        password: "p",
        fields: ["appsecret"],
        role: "admin",
      }),
    ).toEqual({
      appsecret: "[redacted]",
      pushToken: "[redacted]",
      aesKey: "[redacted]",
      password: "[redacted]",
      fields: ["appsecret"],
      role: "admin",
    });
  });
});
