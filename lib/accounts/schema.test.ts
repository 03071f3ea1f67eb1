import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createAccountSchema, updateAccountSchema } from "./schema";

const valid = {
  name: "UnionView 服务号",
  appid: "wx0123456789abcdef",
  appsecret: "0123456789abcdef0123456789abcdef",
  originalId: "gh_0123456789ab",
  pushToken: "token123",
  aesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
  boundToOpenPlatform: "on",
};

function errorsOf(input: Record<string, unknown>) {
  const result = createAccountSchema.safeParse(input);
  return result.success ? {} : z.flattenError(result.error).fieldErrors;
}

describe("account form validation", () => {
  it("accepts a complete account and trims what was pasted", () => {
    const result = createAccountSchema.parse({ ...valid, appid: `  ${valid.appid} `, name: " 服务号 " });
    expect(result.appid).toBe(valid.appid);
    expect(result.name).toBe("服务号");
    expect(result.boundToOpenPlatform).toBe(true);
  });

  it("treats the push token and AES key as optional, and an unchecked box as unbound", () => {
    const result = createAccountSchema.parse({
      ...valid,
      pushToken: "",
      aesKey: "",
      boundToOpenPlatform: undefined,
    });
    expect(result.pushToken).toBeUndefined();
    expect(result.aesKey).toBeUndefined();
    expect(result.boundToOpenPlatform).toBe(false);
  });

  it.each([
    ["appid", "wx0123", "appidFormat"],
    ["appid", "wx0123456789ABCDEF", "appidFormat"],
    ["appid", "ab0123456789abcdef", "appidFormat"],
    ["appid", "", "appidRequired"],
    ["appsecret", "0123456789abcdef", "appsecretFormat"],
    ["appsecret", "0123456789abcdef0123456789abcdeg", "appsecretFormat"],
    ["appsecret", "", "appsecretRequired"],
    ["originalId", "0123456789ab", "originalIdFormat"],
    ["originalId", "", "originalIdRequired"],
    ["pushToken", "ab", "pushTokenFormat"],
    ["pushToken", "has space", "pushTokenFormat"],
    ["pushToken", "a".repeat(33), "pushTokenFormat"],
    ["aesKey", "short", "aesKeyFormat"],
    ["aesKey", `${"a".repeat(42)}=`, "aesKeyFormat"],
    ["name", "", "nameRequired"],
    ["name", "名".repeat(65), "nameTooLong"],
  ])("rejects %s = %j with %s", (field, value, message) => {
    expect(errorsOf({ ...valid, [field]: value })[field as keyof typeof valid]).toEqual([message]);
  });

  it("requires a push token when an EncodingAESKey is given", () => {
    expect(errorsOf({ ...valid, pushToken: "" }).pushToken).toEqual(["aesKeyNeedsToken"]);
  });

  it("reports every bad field at once", () => {
    const errors = errorsOf({ name: "", appid: "x", appsecret: "y", originalId: "z" });
    expect(Object.keys(errors).sort()).toEqual(["appid", "appsecret", "name", "originalId"]);
  });

  it("keeps stored secrets on edit when the secret fields are blank", () => {
    const result = updateAccountSchema.parse({
      ...valid,
      id: "a1",
      appsecret: "",
      pushToken: "",
      aesKey: "",
    });
    expect(result.appsecret).toBeUndefined();
    expect(result.removePushToken).toBe(false);
  });

  it("still validates a replacement secret on edit", () => {
    const result = updateAccountSchema.safeParse({ ...valid, id: "a1", appsecret: "nope" });
    expect(result.success).toBe(false);
  });
});
