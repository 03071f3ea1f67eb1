/**
 * Response headers that depend on the request (used by proxy.ts, edge-safe): a nonce-based
 * Content-Security-Policy. Static headers (Permissions-Policy, HSTS over HTTPS, …) are in next.config.js.
 */
export function isHttps(headers: Headers, url: URL): boolean {
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return proto ? proto === "https" : url.protocol === "https:";
}

export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy(nonce: string, options: { https: boolean; dev: boolean }): string {
  return [
    "default-src 'self'",
    // Scripts only with this response's nonce (Next.js adds it to its own); 'strict-dynamic' lets them load chunks.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    // Charts and toasts set style attributes, which a nonce cannot cover.
    "style-src 'self' 'unsafe-inline'",
    // PNG downloads draw the chart's SVG through blob: and data: URLs.
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/**
 * A server-action POST (Next-Action header) whose Origin is not this host: Next.js refuses it with a
 * 500; answering 403 first says what it is.
 */
export function crossOriginAction(headers: Headers, method: string): boolean {
  if (method !== "POST" || !headers.has("next-action")) return false;
  const origin = headers.get("origin");
  if (!origin) return false; // as Next.js: old browsers send none, and cross-site forms always do
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}
