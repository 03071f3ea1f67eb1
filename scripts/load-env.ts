import nextEnv from "@next/env";

/** Loads .env, .env.local etc. the same way `next start` does, for scripts run outside Next. */
export function loadProjectEnv(dev = false): void {
  nextEnv.loadEnvConfig(process.cwd(), dev, { info: () => {}, error: console.error });
}
