import { migrateDatabase } from "@/lib/db/migrate";
import { loadProjectEnv } from "./load-env";

loadProjectEnv();
const path = process.env.DATABASE_URL?.trim() || "data/unionview.db";
try {
  migrateDatabase(path);
  console.log(`Migrations applied to ${path}`);
} catch (error) {
  console.error(`Could not migrate ${path}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
