/** What an API key may read (checked by every /api/v1 handler; see lib/apiv1/handler.ts). */
export const API_SCOPES = ["identities:read", "people:read", "audience:read"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export function isApiScope(value: unknown): value is ApiScope {
  return typeof value === "string" && (API_SCOPES as readonly string[]).includes(value);
}
