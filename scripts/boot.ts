import { loadProjectEnv } from "./load-env";

/** For the CLI and the standalone worker: load .env files, validate the environment, or exit saying what is wrong. */
export async function bootEnvironment(): Promise<void> {
  loadProjectEnv();
  const { env } = await import("@/lib/env");
  const { EnvError } = await import("@/lib/env/schema");
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
