import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authConfig, isPublicPath } from "@/lib/auth/auth.config";
import { contentSecurityPolicy, crossOriginAction, isHttps, newNonce } from "@/lib/auth/security-headers";

/**
 * Runs before every page and API route (not the push URL or Auth.js's own routes):
 * 1. a server-action POST from another origin → 403;
 * 2. signed-out visitors → the sign-in page, API callers → 401 (authConfig.callbacks.authorized).
 *    It only reads the token: whether the user is still enabled and what they may do is decided by
 *    the pages and actions themselves;
 * 3. a fresh nonce per request in a Content-Security-Policy (request header, so Next.js puts the
 *    nonce on its scripts, and response header). HSTS and Permissions-Policy: next.config.js.
 */
const { auth } = NextAuth(authConfig);

export default auth((request) => {
  if (crossOriginAction(request.headers, request.method)) {
    return new NextResponse("Cross-origin request refused.", { status: 403 });
  }
  const https = isHttps(request.headers, request.nextUrl);
  if (!request.auth?.user && !isPublicPath(request.nextUrl.pathname)) {
    const signIn = request.nextUrl.clone();
    signIn.pathname = authConfig.pages.signIn;
    signIn.search = "";
    signIn.searchParams.set("callbackUrl", request.nextUrl.href);
    return NextResponse.redirect(signIn);
  }
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { https, dev: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
});

export const config = {
  // Not behind a session: Auth.js itself, WeChat's push URL (signed), the health checks (public, no
  // secrets), the identity API (its own keys) and /metrics (its own bearer token, off unless METRICS_TOKEN is set).
  matcher: [
    "/((?!api/auth|api/wechat|api/v1/|api/health|metrics$|_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico|woff2?)$).*)",
  ],
};
