import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth/auth.config";

/**
 * Sends signed-out visitors to the sign-in page before anything renders. It only reads the token:
 * whether the user is still enabled and what they may do is decided by the pages and actions.
 */
export const { auth: proxy } = NextAuth(authConfig);

export const config = {
  matcher: ["/((?!api/auth|api/health|_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico|woff2?)$).*)"],
};
