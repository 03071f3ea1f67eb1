import type { Role } from "@/lib/auth/roles";

/** Staff the e2e server seeds into its throwaway database. */
export const SEEDED_STAFF: Record<
  "admin" | "marketer" | "support" | "victim" | "spare",
  { email: string; name: string; role: Role; password: string }
> = {
  admin: { email: "admin@e2e.test", name: "Ada Admin", role: "admin", password: "admin-password-1" },
  marketer: {
    email: "marketer@e2e.test",
    name: "Mia Marketer",
    role: "marketer",
    password: "marketer-password-1",
  },
  support: {
    email: "support@e2e.test",
    name: "Sam Support",
    role: "support",
    password: "support-password-1",
  },
  victim: { email: "victim@e2e.test", name: "Vic Disabled", role: "support", password: "victim-password-1" },
  spare: { email: "spare@e2e.test", name: "Spare Support", role: "support", password: "spare-password-1" },
};
