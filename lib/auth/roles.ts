export const ROLES = ["admin", "marketer", "support"] as const;
export type Role = (typeof ROLES)[number];

/**
 * What each role may do (design.md, "Users (roles)"). The server checks these in every action and
 * route handler; the navigation only mirrors them.
 */
export const PERMISSIONS = {
  "overview:view": ["admin", "marketer"],
  /** The people list, search and person pages (marketers slice the audience from the overview's charts). */
  "people:view": ["admin", "marketer", "support"],
  "people:edit": ["admin", "support"],
  /** Person-level export (openids, unionids, remarks): admins only, and audited. */
  "people:export": ["admin"],
  /** Counts of the filtered set by combination of accounts: no person-level data. */
  "people:export-counts": ["admin", "marketer"],
  "accounts:manage": ["admin"],
  "syncs:view": ["admin", "marketer"],
  "syncs:run": ["admin", "marketer"],
  "syncs:cancel": ["admin"],
  "staff:manage": ["admin"],
  "audit:view": ["admin"],
  /** The System page: worker, queue, storage, errors (issue 20). */
  "system:view": ["admin"],
  /** API keys for other systems (/api/v1) and the API's documentation page. */
  "apikeys:manage": ["admin"],
  "webhooks:manage": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export interface NavItem {
  href: string;
  label: "overview" | "people" | "accounts" | "syncs" | "staff" | "audit" | "apiKeys" | "webhooks" | "system";
  permission: Permission;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/overview", label: "overview", permission: "overview:view" },
  { href: "/people", label: "people", permission: "people:view" },
  { href: "/accounts", label: "accounts", permission: "accounts:manage" },
  { href: "/syncs", label: "syncs", permission: "syncs:view" },
  { href: "/staff", label: "staff", permission: "staff:manage" },
  { href: "/audit", label: "audit", permission: "audit:view" },
  { href: "/api-keys", label: "apiKeys", permission: "apikeys:manage" },
  { href: "/webhooks", label: "webhooks", permission: "webhooks:manage" },
  { href: "/system", label: "system", permission: "system:view" },
];

export function navFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => can(role, item.permission));
}

/** Where a role lands after signing in. */
export function homeFor(role: Role): string {
  return navFor(role)[0]?.href ?? "/login";
}
