"use client";

import { usePathname } from "next/navigation";
import { useEffect } from "react";
import { toast } from "sonner";

const FLASH_COOKIE = "unionview-flash";

/** Shows, once, the message an action left before redirecting here (see lib/forms/flash.ts). */
export function FlashToast() {
  const pathname = usePathname();
  useEffect(() => {
    const match = document.cookie.split("; ").find((c) => c.startsWith(`${FLASH_COOKIE}=`));
    if (!match) return;
    document.cookie = `${FLASH_COOKIE}=; path=/; max-age=0`;
    toast.success(decodeURIComponent(match.slice(FLASH_COOKIE.length + 1)));
  }, [pathname]);
  return null;
}
