/** The caller's IP as the nearest proxy reported it (for the audit log only, never for access decisions). */
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || null;
}

/**
 * The address of whoever connected to the nearest hop, for the per-client sign-in limit: the last
 * X-Forwarded-For entry. Next.js sets the header to the socket's address when the request has none;
 * a TLS reverse proxy in front that appends the peer's address ($proxy_add_x_forwarded_for in nginx,
 * Caddy's default) makes the last entry the real client, whatever the client wrote before it.
 */
export function clientAddress(headers: Headers): string | null {
  const entries = headers.get("x-forwarded-for")?.split(",") ?? [];
  return entries.at(-1)?.trim() || headers.get("x-real-ip") || null;
}
