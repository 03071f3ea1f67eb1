import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth/auth.config";

/**
 * Sends signed-out visitors to the sign-in page before anything renders (authConfig.callbacks.authorized).
 * It only reads the token: whether the user is still enabled and what they may do is decided by the
 * pages and actions themselves.
 */
const { auth } = NextAuth(authConfig);

export default auth;

export const config = {
  matcher: [
    "/((?!api/auth|api/wechat|api/v1/|_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico|woff2?)$).*)",
  ],
};
