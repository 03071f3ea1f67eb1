import { logger } from "@/lib/log";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { authConfig } from "./auth.config";
import { clientIp } from "./client-ip";
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
        const outcome = await checkSignIn(parsed.data.email, parsed.data.password, clientIp(request.headers));
        if (!outcome.ok) {
          const minutes = outcome.lockedUntil
            ? Math.ceil((outcome.lockedUntil.getTime() - Date.now()) / 60_000)
            : 0;
          throw new SignInRefused(outcome.reason === "locked" ? `locked:${minutes}` : outcome.reason);
        }
        const { id, ...rest } = outcome.user;
        return { id: String(id), ...rest };
      },
    }),
  ],
});
