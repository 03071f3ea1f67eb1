import { logger } from "@/lib/log";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { authConfig } from "./auth.config";
import { cookies } from "next/headers";
import { clientAddress, clientIp } from "./client-ip";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_S, withDeviceToken } from "./device-cookie";
import { revokeToken, tokenStillValid } from "./revocation";
import { checkSignIn } from "./sign-in";

class SignInRefused extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

const credentialsSchema = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(256),
});

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  callbacks: {
    ...authConfig.callbacks,
    // Server side (route handlers, pages, /api/auth/session): a token whose staff member signed out,
    // was disabled or had their role or password changed is no session at all (null clears the cookie).
    async jwt(params) {
      const token = authConfig.callbacks.jwt(params);
      if (params.user) return token;
      return tokenStillValid(token) ? token : null;
    },
  },
  events: {
    // Auth.js's own POST /api/auth/signout revokes the token too, like the dashboard's sign-out button.
    signOut(message) {
      if ("token" in message && message.token) revokeToken(message.token);
    },
  },
  logger: {
    // A refused sign-in is an expected outcome (and already audited), not a server error with a stack.
    error(error) {
      if (error instanceof CredentialsSignin || error.name === "CredentialsSignin") return;
      const kind = "type" in error && typeof error.type === "string" ? error.type : error.name;
      logger().error({ component: "auth", kind }, error.message);
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const parsed = credentialsSchema.safeParse(credentials);
        if (!parsed.success) throw new SignInRefused("invalid");
        const jar = await cookies();
        const deviceCookie = jar.get(DEVICE_COOKIE)?.value ?? null;
        const outcome = await checkSignIn(
          parsed.data.email,
          parsed.data.password,
          clientIp(request.headers),
          {
            address: clientAddress(request.headers),
            deviceCookie,
          },
        );
        if (!outcome.ok && outcome.reason === "throttled") {
          throw new SignInRefused(`throttled:${Math.max(1, Math.ceil(outcome.retryAfterMs / 1000))}`);
        }
        if (!outcome.ok) {
          const minutes = outcome.lockedUntil
            ? Math.ceil((outcome.lockedUntil.getTime() - Date.now()) / 60_000)
            : 0;
          throw new SignInRefused(outcome.reason === "locked" ? `locked:${minutes}` : outcome.reason);
        }
        if (outcome.newDeviceToken) {
          jar.set(DEVICE_COOKIE, withDeviceToken(deviceCookie, outcome.newDeviceToken, outcome.user.email), {
            httpOnly: true,
            sameSite: "lax",
            secure: request.headers.get("x-forwarded-proto") === "https",
            path: "/",
            maxAge: DEVICE_COOKIE_MAX_AGE_S,
          });
        }
        const { id, ...rest } = outcome.user;
        return { id: String(id), ...rest };
      },
    }),
  ],
});
