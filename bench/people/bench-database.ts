import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqlite } from "@/lib/db/connection";
import { migrateDatabase } from "@/lib/db/migrate";
import { seedPopulation } from "./seed";

/**
 * The database a people-scale benchmark reads: `--db FILE` keeps (or reuses) one, otherwise a
 * throwaway file; seeded with 5 accounts × 2,000,000 follower rows (200,000 with `--quick`, or
 * `--rows N` in all).
 */
export function benchDatabase(name: string, args = process.argv.slice(2)) {
  const at = args.indexOf("--db");
  const keep = at >= 0 ? args[at + 1] : undefined;
  const dir = keep ? null : mkdtempSync(join(tmpdir(), `unionview-bench-${name}-`));
  const file = keep ?? join(dir!, `${name}.db`);
  let seedSeconds: number | null = null;
  const seeded = keep !== undefined && existsSync(file);
  migrateDatabase(file); // a kept file seeded by an older version gets the newer migrations
  if (!seeded) {
    const sqlite = openSqlite(file);
    const start = performance.now();
    const population = seedPopulation(sqlite, {
      accounts: 5,
      followersPerAccount: args.includes("--rows")
        ? Math.ceil(Number(args[args.indexOf("--rows") + 1]) / 5)
        : args.includes("--quick")
          ? 200_000
          : 2_000_000,
      noUnionidShare: 0.05,
      leftShare: 0.03,
      seed: 1,
    });
    seedSeconds = (performance.now() - start) / 1000;
    sqlite.close();
    console.log(
      `seeded ${population.followers.toLocaleString()} followers, ${population.people.toLocaleString()} people in ${seedSeconds.toFixed(1)} s`,
    );
  }
  return {
    file,
    seedSeconds,
    /** Removes the throwaway file (a kept one stays). */
    cleanup: () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
