import { describe, expect, it } from "vitest";
import type { UpdateAccountInput } from "./schema";
import { credentialsTouched, planAccountUpdate } from "./update";

const current = {
  name: "服务号",
  appid: "wx0123456789abcdef",
  originalId: "gh_0123456789ab",
  boundToOpenPlatform: true,
  hasPushToken: true,
  hasAesKey: false,
};
const form = (changes: Partial<UpdateAccountInput> = {}): UpdateAccountInput => ({
  id: "a1",
  name: current.name,
  appid: current.appid,
  originalId: current.originalId,
  boundToOpenPlatform: true,
  removePushToken: false,
  removeAesKey: false,
  ...changes,
});

describe("planAccountUpdate", () => {
  it("finds nothing to do in an unchanged form", () => {
    const plan = planAccountUpdate(current, form());
    expect(plan).toMatchObject({ nothing: true, credentialsChanged: false, touchesSecrets: false });
    expect(credentialsTouched(plan)).toEqual([]);
  });

  it("lists the changed fields; a new AppID must be tested, a new name need not", () => {
    expect(planAccountUpdate(current, form({ name: "新名字" }))).toMatchObject({
      fields: { name: "新名字" },
      credentialsChanged: false,
      nothing: false,
    });
    expect(planAccountUpdate(current, form({ appid: "wxfedcba9876543210" })).credentialsChanged).toBe(true);
  });

  it("replaces and removes secrets in a stable order, and names them for the audit without values", () => {
    const plan = planAccountUpdate(
      { ...current, hasAesKey: true },
      form({ appsecret: "f".repeat(32), removePushToken: true, removeAesKey: true }),
    );
    expect(plan.replace).toEqual({ appsecret: "f".repeat(32) });
    expect(plan.remove).toEqual(["push_token", "aes_key"]);
    expect(plan).toMatchObject({ credentialsChanged: true, touchesSecrets: true });
    expect(credentialsTouched(plan)).toEqual(["appsecret", "push_token (removed)", "aes_key (removed)"]);
  });

  it("refuses to leave an EncodingAESKey without a push token", () => {
    expect(
      planAccountUpdate(current, form({ aesKey: "k".repeat(43), removePushToken: true })).aesKeyWithoutToken,
    ).toBe(true);
    expect(planAccountUpdate(current, form({ aesKey: "k".repeat(43) })).aesKeyWithoutToken).toBe(false);
  });

  it("ignores removing a secret that is not stored", () => {
    expect(planAccountUpdate(current, form({ removeAesKey: true })).nothing).toBe(true);
  });
});
