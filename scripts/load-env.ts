import { loadEnvConfig } from "@next/env";

/** Loads .env, .env.local etc. the same way `next start` does, for scripts run outside Next. */
export function loadProjectEnv(dev = false): void {
  loadEnvConfig(process.cwd(), dev, { info: () => {}, error: console.error });
}
