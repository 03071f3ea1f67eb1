import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./schema";

const good = {
  AUTH_SECRET: randomBytes(32).toString("base64"),
  UNIONVIEW_SECRET_KEY: randomBytes(32).toString("base64"),
};

function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
    return [];
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
}

describe("environment validation", () => {
  it("accepts the two secrets and fills in defaults", () => {
    const env = parseEnv(good);
    expect(env.DATABASE_URL).toBe("data/unionview.db");
    expect(env.PORT).toBe(3000);
    expect(env.WECHAT_API_BASE).toBe("https://api.weixin.qq.com");
  });

  it("names each missing variable", () => {
    expect(problemsOf({})).toEqual(["AUTH_SECRET is missing", "UNIONVIEW_SECRET_KEY is missing"]);
  });

  it("explains a malformed encryption key", () => {
    const [problem] = problemsOf({ ...good, UNIONVIEW_SECRET_KEY: "not-base64" });
    expect(problem).toMatch(/^UNIONVIEW_SECRET_KEY must be 32 random bytes in base64/);
    expect(problemsOf({ ...good, UNIONVIEW_SECRET_KEY: randomBytes(16).toString("base64") })).toHaveLength(1);
  });

  it("rejects a short AUTH_SECRET and a bad PORT", () => {
    expect(problemsOf({ ...good, AUTH_SECRET: "short" })[0]).toMatch(/^AUTH_SECRET must be at least 32/);
    expect(problemsOf({ ...good, PORT: "http" })[0]).toMatch(/^PORT/);
  });

  it("puts every problem into one message", () => {
    expect(() => parseEnv({})).toThrow(/AUTH_SECRET is missing[\s\S]*UNIONVIEW_SECRET_KEY is missing/);
  });
});
