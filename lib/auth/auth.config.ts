import type { NextAuthConfig } from "next-auth";
import { isRole } from "./roles";

/** Paths a signed-out visitor may open. */
export function isPublicPath(path: string): boolean {
  return path === "/login" || path.startsWith("/api/auth");
}

/**
 * The part of the Auth.js configuration that needs no database, shared by proxy.ts and auth.ts.
 * The token carries the staff id, role and session version; lib/auth/session.ts re-checks them
 * against the database on every request, so a disabled user's token stops working at once.
 */
export const authConfig = {
  trustHost: true,
  pages: { signIn: "/login" },
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  providers: [],
  callbacks: {
    authorized({ auth, request }) {
      const path = request.nextUrl.pathname;
      if (isPublicPath(path) || auth?.user) return true;
      // API callers get a status, not a redirect to an HTML sign-in page.
      if (path.startsWith("/api/")) return Response.json({ error: "Sign in first." }, { status: 401 });
      return false;
    },
    jwt({ token, user }) {
      if (user) {
        token.sub = String(user.id);
        token.role = user.role;
        token.sv = user.sessionVersion;
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = token.sub ?? "";
      session.user.role = isRole(token.role) ? token.role : undefined;
      session.user.sessionVersion = typeof token.sv === "number" ? token.sv : -1;
      return session;
    },
  },
} satisfies NextAuthConfig;
