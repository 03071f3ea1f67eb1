import "server-only";
import { cookies } from "next/headers";

export const FLASH_COOKIE = "unionview-flash";

/** A message for the next page, for actions that end in a redirect (the form that asked is gone). Next URL-encodes the value. */
export async function setFlash(message: string): Promise<void> {
  (await cookies()).set(FLASH_COOKIE, message, { path: "/", maxAge: 60, sameSite: "lax" });
}
