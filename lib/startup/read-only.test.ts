import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrateDatabase } from "@/lib/db/migrate";

let dir: string | undefined;
/** Folders above the project that `nobody` could not enter, opened for the test (modes restored after). */
let opened: { path: string; mode: number }[] = [];
afterEach(() => {
  if (dir) {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
  for (const { path, mode } of opened.reverse()) chmodSync(path, mode);
  opened = [];
});

/**
 * The child running as nobody must load the project's code: a checkout inside a private folder (e.g.
 * `mktemp -d`, mode 700) would stop it at the folder's door. Lets others traverse (only x) each such
 * folder above the project for the duration of the test.
 */
function letOthersTraverse(from: string): void {
  for (let path = from; ; path = dirname(path)) {
    const mode = statSync(path).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      opened.push({ path, mode });
      chmodSync(path, mode | 0o001);
    }
    if (dirname(path) === path) return;
  }
}

/**
 * The server's start-up checks (instrumentation.ts → runStartupChecks) in a process of their own,
 * against a database its user cannot write: a file and folder without write permission, and, when the
 * tests run as root (who may write anything), a process running as nobody.
 */
describe("start-up with a read-only database", () => {
  it("refuses to start, with a sentence naming the file", () => {
    dir = mkdtempSync(join(tmpdir(), "unionview-readonly-"));
    const file = join(dir, "ro.db");
    migrateDatabase(file);
    chmodSync(file, 0o444);
    chmodSync(dir, 0o555);
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if (process.getuid?.() === 0) letOthersTraverse(resolve("."));
    const checks = resolve("lib/startup/checks.ts");
    const child = spawnSync(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        "-e",
        `import(${JSON.stringify(checks)}).then((m) => (m.runStartupChecks ?? m.default.runStartupChecks)())`,
      ],
      {
        cwd: resolve("."),
        encoding: "utf8",
        timeout: 60_000,
        ...asNobody,
        env: {
          ...process.env,
          HOME: dir,
          DATABASE_URL: file,
          AUTH_SECRET: randomBytes(32).toString("base64"),
          UNIONVIEW_SECRET_KEY: randomBytes(32).toString("base64"),
          UNIONVIEW_WORKER: "off",
        },
      },
    );
    expect(child.status).toBe(1);
    expect(child.stderr).toContain(`UnionView cannot start: the database ${file} cannot be written`);
    expect(child.stderr).toContain("write access");
    expect(child.stderr).not.toMatch(/\n\s+at /); // a sentence, not a stack trace
  }, 90_000);
});
