import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * One throwaway environment per test run, fixed in the main Playwright process (workers inherit
 * process.env, so they all see the same port, database and keys).
 */
function freePort(): number {
  const script =
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})";
  return Number(execFileSync(process.execPath, ["-e", script]).toString().trim());
}

export function e2eEnv() {
  process.env.E2E_PORT ??= String(freePort());
  process.env.E2E_SIM_PORT ??= String(freePort());
  process.env.E2E_DATABASE_URL ??= join(mkdtempSync(join(tmpdir(), "unionview-e2e-")), "test.db");
  process.env.E2E_AUTH_SECRET ??= randomBytes(32).toString("base64");
  process.env.E2E_SECRET_KEY ??= randomBytes(32).toString("base64");
  return {
    port: Number(process.env.E2E_PORT),
    databaseUrl: process.env.E2E_DATABASE_URL,
    authSecret: process.env.E2E_AUTH_SECRET,
    secretKey: process.env.E2E_SECRET_KEY,
    baseURL: `http://127.0.0.1:${process.env.E2E_PORT}`,
    simPort: Number(process.env.E2E_SIM_PORT),
    simURL: `http://127.0.0.1:${process.env.E2E_SIM_PORT}`,
  };
}
