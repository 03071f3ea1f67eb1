import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "@/lib/db/migrate";
import { startSimulator, type Truth } from "@/lib/simulator";
import { expectedFromTruth } from "@/lib/followers/testing";
import { simAdmin } from "@/lib/simulator/testing";
import { type SimAccountInfo } from "@/lib/testing/temp-db";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let dir: string;
let env: NodeJS.ProcessEnv;

/** Runs `npm run cli -- …` the way an operator would (tsx, react-server condition), in a child process. */
function cli(
  args: string[],
  stdin = "",
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      join("node_modules", ".bin", "tsx"),
      ["--conditions=react-server", "scripts/cli.ts", ...args],
      { env: { ...env, ...extraEnv }, stdio: ["pipe", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 21, accounts: 3, followers: 300, overlap: 0.5, unbound: 0 });
  dir = mkdtempSync(join(tmpdir(), "unionview-cli-"));
  const database = join(dir, "cli.db");
  migrateDatabase(database);
  env = {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    DATABASE_URL: database,
    WECHAT_API_BASE: sim.url,
    AUTH_SECRET: randomBytes(32).toString("base64"),
    UNIONVIEW_SECRET_KEY: randomBytes(32).toString("base64"),
    LOG_LEVEL: "error",
  };
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run cli", () => {
  it("adds accounts from stdin, syncs them all, and its stats and people find agree with the simulator", async () => {
    const accounts = await simAdmin<(SimAccountInfo & { originalId: string })[]>(sim.url, "/__sim/accounts");
    for (const [i, a] of accounts.entries()) {
      const added = await cli(
        ["accounts", "add", "--name", `号 ${i + 1}`, "--appid", a.appid, "--original-id", a.originalId],
        `  ${a.secret}\n`,
      );
      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout + added.stderr).not.toContain(a.secret);
    }
    const listed = await cli(["accounts", "list", "--json"]);
    expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(3);

    const synced = await cli(["sync", "--all"]);
    expect(synced.code, synced.stderr).toBe(0);

    const truth = await simAdmin<Truth>(sim.url, "/__sim/truth");
    const stats = JSON.parse((await cli(["stats", "--json"])).stdout) as {
      uniquePeople: number;
      summedFollowers: number;
      accountsPerPerson: Record<string, number>;
    };
    expect(stats.summedFollowers).toBe(truth.summedFollows);
    expect(stats.uniquePeople).toBe(truth.uniquePeople + truth.followersWithoutUnionid);
    expect(stats.accountsPerPerson).toEqual(expectedFromTruth(truth).histogram);

    const openids = await simAdmin<{ openids: string[] }>(
      sim.url,
      `/__sim/followers?appid=${accounts[0]!.appid}&subscribed=1&limit=50`,
    );
    let checked = 0;
    for (const openid of openids.openids) {
      const simPerson = await simAdmin<{
        unionid: string | null;
        follows: { appid: string; openid: string; subscribed: boolean; showsUnionid: boolean }[];
      }>(sim.url, `/__sim/person?id=${openid}`);
      if (!simPerson.unionid || simPerson.follows.filter((f) => f.subscribed).length < 2) continue;
      const found = await cli(["people", "find", openid, "--json"]);
      expect(found.code, found.stderr).toBe(0);
      const person = JSON.parse(found.stdout) as {
        unionid: string;
        follows: { appid: string; openid: string; subscribed: boolean }[];
      };
      expect(person.unionid).toBe(simPerson.unionid);
      const subscribed = (fs: { appid: string; openid: string; subscribed: boolean }[]) =>
        fs
          .filter((f) => f.subscribed)
          .map((f) => `${f.appid}:${f.openid}`)
          .sort();
      expect(subscribed(person.follows)).toEqual(subscribed(simPerson.follows));
      if (++checked === 2) break;
    }
    expect(checked).toBe(2);

    const missing = await cli(["people", "find", "oAbCdEfGhIjKlMnOpQrStUvWxYz0", "--json"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe("not found");
  }, 120_000);

  it("takes the push token and EncodingAESKey on stdin too, so no secret has to be in argv (ps, shell history)", async () => {
    const database = join(dir, "stdin-secrets.db");
    migrateDatabase(database);
    const [a] = await simAdmin<
      (SimAccountInfo & { originalId: string; pushToken: string; encodingAESKey: string })[]
    >(sim.url, "/__sim/accounts");
    const added = await cli(
      ["accounts", "add", "--name", "号 1", "--appid", a!.appid, "--original-id", a!.originalId],
      `appsecret=${a!.secret}\npush_token=${a!.pushToken}\naes_key=${a!.encodingAESKey}\n`,
      { DATABASE_URL: database },
    );
    expect(added.code, added.stderr).toBe(0);
    const output = added.stdout + added.stderr;
    for (const secret of [a!.secret, a!.pushToken, a!.encodingAESKey]) expect(output).not.toContain(secret);
    const db = new Database(database, { readonly: true });
    const row = db
      .prepare("SELECT push_token_sealed AS token, aes_key_sealed AS aesKey FROM accounts")
      .get() as {
      token: string | null;
      aesKey: string | null;
    };
    db.close();
    expect(row.token).toMatch(/^v1\./);
    expect(row.aesKey).toMatch(/^v1\./);
    // Like the form, the CLI leaves an audit entry naming the credentials set, never their values.
    const audit = new Database(database, { readonly: true })
      .prepare("SELECT action, actor_email AS actor, details FROM audit_log")
      .all() as { action: string; actor: string | null; details: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "account.created", actor: null });
    expect(JSON.parse(audit[0]!.details)).toMatchObject({
      via: "cli",
      credentialsSet: ["appsecret", "push_token", "aes_key"],
    });
    for (const secret of [a!.secret, a!.pushToken, a!.encodingAESKey])
      expect(audit[0]!.details).not.toContain(secret);
  }, 60_000);

  it("still accepts --push-token, but warns that argv is visible to every user of the machine", async () => {
    const database = join(dir, "flag-secrets.db");
    migrateDatabase(database);
    const [a] = await simAdmin<(SimAccountInfo & { originalId: string; pushToken: string })[]>(
      sim.url,
      "/__sim/accounts",
    );
    const added = await cli(
      ["accounts", "add", "--name", "号 1", "--appid", a!.appid, "--push-token", a!.pushToken],
      `${a!.secret}\n`,
      { DATABASE_URL: database },
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toContain("push_token=");
    expect(added.stdout + added.stderr).not.toContain(a!.pushToken);
  }, 60_000);

  it("refuses a secret given twice or an unknown line on stdin, naming the line but not the value", async () => {
    const database = join(dir, "bad-stdin.db");
    migrateDatabase(database);
    const [a] = await simAdmin<(SimAccountInfo & { originalId: string })[]>(sim.url, "/__sim/accounts");
    const added = await cli(
      ["accounts", "add", "--name", "号 1", "--appid", a!.appid],
      `appsecret=${a!.secret}\npassword=${a!.secret}\n`,
      { DATABASE_URL: database },
    );
    expect(added.code).toBe(1);
    expect(added.stderr).toContain("line 2");
    expect(added.stdout + added.stderr).not.toContain(a!.secret);
  }, 60_000);
});
