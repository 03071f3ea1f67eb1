import { parseArgs } from "node:util";
import { generatePassword, PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { loadProjectEnv } from "./load-env";

/** Creates the first admin: `npm run db:seed-admin -- --email you@company.com [--name "Your Name"] [--password …]`. */
loadProjectEnv();
const { values } = parseArgs({
  options: { email: { type: "string" }, name: { type: "string" }, password: { type: "string" } },
});
if (!values.email) {
  console.error(
    'Usage: npm run db:seed-admin -- --email you@company.com [--name "Your Name"] [--password …]',
  );
  process.exit(1);
}
if (values.password && values.password.length < PASSWORD_MIN_LENGTH) {
  console.error(`The password needs at least ${PASSWORD_MIN_LENGTH} characters.`);
  process.exit(1);
}
const email = values.email;

async function main() {
  const { insertStaff } = await import("@/lib/staff/create");
  const password = values.password ?? generatePassword();
  try {
    await insertStaff({ email, name: values.name ?? "Admin", role: "admin", password });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(
      /UNIQUE/.test(message)
        ? `A staff member with the email ${email} already exists.`
        : `Could not create the admin: ${message}`,
    );
    process.exit(1);
  }
  console.log(`Admin created: ${email}${values.password ? "" : `  password: ${password}`}`);
}

void main();
