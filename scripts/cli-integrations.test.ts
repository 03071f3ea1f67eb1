import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "@/lib/db/migrate";

let dir: string;
let env: NodeJS.ProcessEnv;

function cli(args: string[], extra: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      join("node_modules", ".bin", "tsx"),
      ["--conditions=react-server", "scripts/cli.ts", ...args],
      {
        env: { ...env, ...extra },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "unionview-cli-integrations-"));
  const database = join(dir, "cli.db");
  migrateDatabase(database);
  env = {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    DATABASE_URL: database,
    AUTH_SECRET: randomBytes(32).toString("base64"),
    UNIONVIEW_SECRET_KEY: randomBytes(32).toString("base64"),
    LOG_LEVEL: "error",
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run cli -- apikeys / webhooks", () => {
  it("creates a key (printed once, stored hashed), refuses bad scopes, and revokes it", async () => {
    const created = await cli([
      "apikeys",
      "create",
      "--name",
      "CRM",
      "--scopes",
      "identities:read,people:read",
      "--json",
    ]);
    expect(created.code).toBe(0);
    const { id, key } = JSON.parse(created.stdout) as { id: number; key: string };
    expect(key).toMatch(/^uv_[A-Za-z0-9_-]{43}$/);
    const sqlite = new Database(env.DATABASE_URL!, { readonly: true });
    const row = sqlite.prepare("SELECT key_hash, scopes, revoked_at FROM api_keys WHERE id = ?").get(id) as {
      key_hash: string;
      scopes: string;
      revoked_at: number | null;
    };
    expect(JSON.parse(row.scopes)).toEqual(["identities:read", "people:read"]);
    expect(JSON.stringify(sqlite.prepare("SELECT * FROM api_keys").all())).not.toContain(key);
    expect(JSON.stringify(sqlite.prepare("SELECT * FROM audit_log").all())).not.toContain(key.slice(3));

    const bad = await cli(["apikeys", "create", "--name", "X", "--scopes", "root"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/identities:read, people:read, audience:read/);

    expect((await cli(["apikeys", "revoke", String(id)])).stdout).toMatch(/is revoked/);
    expect(sqlite.prepare("SELECT revoked_at FROM api_keys WHERE id = ?").pluck().get(id)).not.toBeNull();
    const missing = await cli(["apikeys", "revoke", "999"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no API key #999/);
    sqlite.close();
  }, 60_000);

  it("adds a webhook (secret printed once), refuses non-http(s) and private URLs by default, and lists them", async () => {
    const refused = await cli([
      "webhooks",
      "add",
      "--url",
      "ftp://example.com/x",
      "--events",
      "person.followed",
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Only http:\/\/ and https:\/\//);
    const local = await cli([
      "webhooks",
      "add",
      "--url",
      "http://127.0.0.1:9/hooks",
      "--events",
      "person.followed",
    ]);
    expect(local.code).toBe(1);
    expect(local.stderr).toMatch(/UNIONVIEW_WEBHOOK_ALLOW_PRIVATE=1/);

    const added = await cli(
      [
        "webhooks",
        "add",
        "--url",
        "http://127.0.0.1:9/hooks",
        "--events",
        "person.followed,person.linked",
        "--json",
      ],
      { UNIONVIEW_WEBHOOK_ALLOW_PRIVATE: "1" },
    );
    expect(added.code).toBe(0);
    const { id, secret } = JSON.parse(added.stdout) as { id: number; secret: string };
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const sqlite = new Database(env.DATABASE_URL!, { readonly: true });
    expect(JSON.stringify(sqlite.prepare("SELECT * FROM webhook_endpoints").all())).not.toContain(
      secret.slice(6),
    );
    sqlite.close();
    const listed = await cli(["webhooks", "list", "--json"]);
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        id,
        url: "http://127.0.0.1:9/hooks",
        events: ["person.followed", "person.linked"],
        pending: 0,
        lastDelivery: null,
      },
    ]);
  }, 60_000);
});
