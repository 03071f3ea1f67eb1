import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { generatePassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/roles";
import { migrateDatabase } from "@/lib/db/migrate";
import { buildIsCurrent } from "./build-current";
import { ensureEnvFile } from "./ensure-env-file";
import { loadProjectEnv } from "./load-env";

/**
 * `npm run demo`: a fresh demo database with seeded staff, the WeChat simulator with its demo accounts
 * registered, a production build, and the dashboard.
 * Prints the URL and the logins. Ctrl+C stops everything.
 */
const DEMO_DB = "data/demo.db";

function freePort(preferred: number): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => {
      const fallback = createServer();
      fallback.listen(0, "127.0.0.1", () => {
        const address = fallback.address();
        fallback.close(() => resolve(typeof address === "object" && address ? address.port : preferred + 1));
      });
    });
    server.listen(preferred, "127.0.0.1", () => server.close(() => resolve(preferred)));
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`The dashboard did not answer at ${url} within ${timeoutMs / 1000} s.`);
}

async function main() {
  const added = ensureEnvFile();
  if (added.length)
    console.log(
      `Generated ${added.join(" and ")} into .env.local (keep this file: it holds the encryption key).`,
    );
  loadProjectEnv();
  process.env.DATABASE_URL = DEMO_DB;

  // The WeChat simulator stands in for api.weixin.qq.com: four accounts, one not bound to the Open Platform.
  const { startSimulator } = await import("@/lib/simulator");
  const simulator = await startSimulator({
    port: await freePort(4010),
    seed: 1,
    accounts: 4,
    followers: [3200, 2600, 2100, 1500],
    unbound: 1,
  });
  // Before anything reads the environment (it is parsed once per process).
  process.env.WECHAT_API_BASE = simulator.url;

  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${DEMO_DB}${suffix}`, { force: true });
  migrateDatabase(DEMO_DB);

  const { insertStaff } = await import("@/lib/staff/create");
  const logins: { role: Role; email: string; password: string }[] = [];
  for (const role of ["admin", "marketer", "support"] as const) {
    const email = `${role}@unionview.local`;
    const password = generatePassword();
    await insertStaff({ email, name: `Demo ${role}`, role, password });
    logins.push({ role, email, password });
  }

  const { insertAccount } = await import("@/lib/accounts/store");
  const simAccounts = (await (await fetch(`${simulator.url}/__sim/accounts`)).json()) as {
    name: string;
    appid: string;
    secret: string;
    originalId: string;
    pushToken: string;
    encodingAESKey: string;
    bound: boolean;
  }[];
  const { clientForAccount } = await import("@/lib/accounts/wechat-client");
  for (const account of simAccounts) {
    const id = insertAccount({
      name: account.name,
      appid: account.appid,
      originalId: account.originalId,
      boundToOpenPlatform: account.bound,
      appsecret: account.secret,
      pushToken: account.pushToken,
      aesKey: account.encodingAESKey,
    });
    // As on the form: prove the credentials once, so the accounts open as "connected".
    const tested = await clientForAccount(id)?.testConnection();
    if (tested && !tested.ok)
      console.warn(`Warning: ${account.name} could not reach the simulator (${tested.error.message}).`);
  }

  const next = join("node_modules", ".bin", "next");
  if (!buildIsCurrent()) {
    console.log("Building the dashboard (first run or sources changed; about two minutes)…");
    const build = spawnSync(next, ["build"], { stdio: "inherit", env: process.env });
    if (build.status !== 0) {
      console.error("The build failed; see the output above.");
      process.exit(build.status ?? 1);
    }
  }

  const port = await freePort(Number(process.env.PORT) || 3000);
  // The production entry (as `npm start`): the push URL ahead of Next's router, one port.
  const entry = ["--conditions=react-server", "--import", "tsx", join("scripts", "server.ts")];
  const server = spawn(process.execPath, [...entry, "--port", String(port), "--hostname", "127.0.0.1"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, PORT: String(port) },
  });
  let stopping = false;
  const stop = () => {
    // Ctrl+C reaches every process of the group, and a signal may come twice: stop once, quietly.
    if (stopping) return;
    stopping = true;
    server.kill("SIGTERM");
    simulator.close().catch(() => undefined);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  server.on("exit", (code) => process.exit(code ?? 0));

  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/login`, 60_000);
  console.log(`
  UnionView demo is running: ${url}
  Database: ${DEMO_DB} (recreated on every \`npm run demo\`)
  WeChat simulator: ${simulator.url} (${simAccounts.length} demo accounts registered; GET /__sim/truth for the true counts)

  Sign in as:
${logins.map((l) => `    ${l.role.padEnd(9)} ${l.email.padEnd(26)} ${l.password}`).join("\n")}

  Press Ctrl+C to stop.
`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
