import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/** Whether `.next` holds a production build newer than every source it is built from. */
const ROOT = resolve(__dirname, "..");
const SOURCE_DIRS = ["app", "components", "lib", "messages", "i18n"];
const SOURCE_FILES = [
  "next.config.js",
  "proxy.ts",
  "instrumentation.ts",
  "package.json",
  "package-lock.json",
];

function newestSourceMtime(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) readdirSync(path).forEach((entry) => visit(join(path, entry)));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  [...SOURCE_DIRS, ...SOURCE_FILES]
    .map((p) => join(ROOT, p))
    .filter(existsSync)
    .forEach(visit);
  return newest;
}

export function buildIsCurrent(): boolean {
  const buildId = join(ROOT, ".next", "BUILD_ID");
  return existsSync(buildId) && statSync(buildId).mtimeMs > newestSourceMtime();
}
