import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupDatabase } from "@/lib/db/backup";
import { migrateDatabase } from "@/lib/db/migrate";
import { startSimulator } from "@/lib/simulator";
import { NO_DRIFT, maintainedFigures, peopleDrift, recountedFigures } from "@/lib/followers/testing";
import { simAdmin } from "@/lib/simulator/testing";

type Sim = Awaited<ReturnType<typeof startSimulator>>;
let sim: Sim;
let dir: string;
let database: string;
let env: NodeJS.ProcessEnv;

function cli(args: string[], stdin = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      join("node_modules", ".bin", "tsx"),
      ["--conditions=react-server", "scripts/cli.ts", ...args],
      {
        env,
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 33, accounts: 2, followers: 30_000, overlap: 0.4, unbound: 0 });
  // Slow profile answers, so the sync is still committing batches while the copy is taken.
  sim.sim.faults.add({ path: "/cgi-bin/user/info/batchget", latencyMs: 150 });
  dir = mkdtempSync(join(tmpdir(), "unionview-backup-"));
  database = join(dir, "live.db");
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
}, 60_000);
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("backup", () => {
  it("copies the database while a sync writes to it: the copy passes the integrity check and its figures are those of one moment", async () => {
    const accounts = await simAdmin<{ appid: string; secret: string; originalId: string }[]>(
      sim.url,
      "/__sim/accounts",
    );
    for (const [i, a] of accounts.entries()) {
      const added = await cli(
        ["accounts", "add", "--name", `号 ${i + 1}`, "--appid", a.appid, "--original-id", a.originalId],
        a.secret,
      );
      expect(added.code, added.stderr).toBe(0);
    }
    const syncing = cli(["sync", "--all", "--full"]);

    const live = new Database(database, { readonly: true });
    const progress = () =>
      live
        .prepare(
          "SELECT coalesce(sum(fetched), 0) AS fetched, sum(status = 'running') AS running FROM sync_runs",
        )
        .get() as {
        fetched: number;
        running: number;
      };
    // Wait for the first committed profile batch of a still-running sync.
    for (let i = 0; i < 1200 && !(progress().fetched > 0 && progress().running > 0); i++) await sleep(25);
    const before = progress();
    expect(before.running).toBeGreaterThan(0);

    const copyFile = join(dir, "copy.db");
    const result = await backupDatabase(database, copyFile);
    const after = progress();
    expect(result.integrity).toBe("ok");

    const copy = new Database(copyFile, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    const copied = copy
      .prepare(
        "SELECT coalesce(sum(fetched), 0) AS fetched, sum(status = 'running') AS running FROM sync_runs",
      )
      .get() as {
      fetched: number;
      running: number;
    };
    // Taken mid-sync: a committed state between the two looks at the live file…
    expect(copied.running).toBeGreaterThan(0);
    expect(copied.fetched).toBeGreaterThanOrEqual(before.fetched);
    expect(copied.fetched).toBeLessThanOrEqual(after.fetched);
    // …and one state: every maintained figure equals a recount of the copy's own follower rows.
    const slots = new Map(
      (copy.prepare("SELECT slot, appid FROM accounts").all() as { slot: number; appid: string }[]).map(
        (r) => [r.slot, r.appid],
      ),
    );
    const figures = maintainedFigures(copy, slots);
    expect(figures.uniquePeople).toBeGreaterThan(0);
    expect(figures).toEqual(recountedFigures(copy, slots));
    expect(peopleDrift(copy)).toEqual(NO_DRIFT);
    copy.close();
    live.close();

    const synced = await syncing;
    expect(synced.code, synced.stderr).toBe(0);
    // No partial files left beside the copy.
    expect(readdirSync(dir).filter((f) => f.includes("partial"))).toEqual([]);
  }, 180_000);

  it("npm run cli -- backup writes a checked copy, and will not overwrite a file without --force", async () => {
    const target = join(dir, "cli-copy.db");
    const made = await cli(["backup", target]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/Backed up .* to .*cli-copy\.db: \d+ pages, .* integrity check ok\./);
    const copy = new Database(target, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(copy.prepare("SELECT count(*) FROM accounts").pluck().get()).toBe(2);
    copy.close();
    // Recorded for the System page (after the copy, so only in the live database).
    const live = new Database(database, { readonly: true });
    const recorded = live
      .prepare("SELECT details FROM audit_log WHERE action = 'system.backup' ORDER BY id DESC LIMIT 1")
      .pluck()
      .get() as string;
    live.close();
    expect(JSON.parse(recorded)).toMatchObject({ via: "cli", file: target });

    writeFileSync(join(dir, "taken.db"), "something else");
    const refused = await cli(["backup", join(dir, "taken.db")]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("already exists: choose a new file name, or add --force to replace it.");
    expect((await cli(["backup", join(dir, "taken.db"), "--force"])).code).toBe(0);
    expect((await cli(["backup", join(dir, "no-such-folder", "x.db")])).stderr).toContain(
      "does not exist: create it first.",
    );
    expect(existsSync(join(dir, "no-such-folder"))).toBe(false);
  }, 120_000);
});
