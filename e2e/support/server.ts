import { spawn } from "node:child_process";
import { join } from "node:path";
import { migrateDatabase } from "@/lib/db/migrate";
import { startSimulator } from "@/lib/simulator";
import { SEEDED_STAFF } from "./staff";

/**
 * Playwright's webServer: the WeChat simulator, a fresh database with seeded staff, then the
 * production build pointed at the simulator, served by the production entry (scripts/server.ts).
 */
async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set for the e2e server");
  const simulator = await startSimulator({
    port: Number(process.env.SIMULATOR_PORT),
    seed: 7,
    accounts: 4,
    followers: 400,
  });
  migrateDatabase(databaseUrl);
  const { insertStaff } = await import("@/lib/staff/create");
  for (const member of Object.values(SEEDED_STAFF)) await insertStaff(member);

  // The production entry (`npm start`): the push URL ahead of Next's router, everything else to Next.
  const entry = ["--conditions=react-server", "--import", "tsx", join("scripts", "server.ts")];
  const server = spawn(
    process.execPath,
    [...entry, "--hostname", "127.0.0.1", "--port", String(process.env.PORT)],
    { stdio: "inherit", env: process.env },
  );
  const stop = () => {
    server.kill("SIGTERM");
    void simulator.close();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
