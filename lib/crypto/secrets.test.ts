import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSecretBox, SecretDecryptError, SecretKeyError, sealedKeyId } from "./secrets";

const keyA = randomBytes(32).toString("base64");
const keyB = randomBytes(32).toString("base64");

function flipChar(text: string, index: number): string {
  const c = text[index] === "A" ? "B" : "A";
  return text.slice(0, index) + c + text.slice(index + 1);
}

describe("secret box", () => {
  it("round-trips ASCII, Chinese and empty text", () => {
    const box = createSecretBox(keyA);
    for (const plain of ["0123456789abcdef0123456789abcdef", "公众号密钥 ✓", ""]) {
      const sealed = box.seal(plain, "account/1/appsecret");
      expect(sealed).not.toContain(plain || "\0");
      expect(box.open(sealed, "account/1/appsecret")).toBe(plain);
    }
  });

  it("uses a fresh IV every time", () => {
    const box = createSecretBox(keyA);
    expect(box.seal("same", "ctx")).not.toBe(box.seal("same", "ctx"));
  });

  it("detects a tampered ciphertext, tag or IV", () => {
    const box = createSecretBox(keyA);
    const sealed = box.seal("0123456789abcdef0123456789abcdef", "ctx");
    const parts = sealed.split(".");
    for (const index of [2, 3, 4]) {
      const tampered = [...parts];
      tampered[index] = flipChar(tampered[index]!, 1);
      expect(() => box.open(tampered.join("."), "ctx")).toThrow(SecretDecryptError);
    }
  });

  it("refuses a value moved to another field or row", () => {
    const box = createSecretBox(keyA);
    const sealed = box.seal("secret", "account/1/appsecret");
    expect(() => box.open(sealed, "account/2/appsecret")).toThrow(SecretDecryptError);
    expect(() => box.open(sealed, "account/1/aes_key")).toThrow(SecretDecryptError);
  });

  it("names the key mismatch when opened with another key", () => {
    const sealed = createSecretBox(keyA).seal("secret", "ctx");
    const other = createSecretBox(keyB);
    expect(() => other.open(sealed, "ctx")).toThrow(/different UNIONVIEW_SECRET_KEY/);
    expect(sealedKeyId(sealed)).toBe(createSecretBox(keyA).keyId);
  });

  it("rejects garbage and a key of the wrong length", () => {
    const box = createSecretBox(keyA);
    expect(() => box.open("not-a-secret", "ctx")).toThrow(SecretDecryptError);
    expect(() => createSecretBox(randomBytes(16).toString("base64"))).toThrow(SecretKeyError);
  });
});
