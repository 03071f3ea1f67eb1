import "server-only";
import { parseEnv, type Env } from "./schema";

const cache = globalThis as unknown as { __unionviewEnv?: Env };

/** The validated environment, parsed once per process. */
export function env(): Env {
  cache.__unionviewEnv ??= parseEnv(process.env);
  return cache.__unionviewEnv;
}
