"use client";

import { LoaderCircle } from "lucide-react";
import { useLinkStatus } from "next/link";

/**
 * Shown inside a navigation link while its page loads. The dashboard has no route-level loading.tsx:
 * a streamed loading shell commits the response as 200 before a page can answer 403 or 404.
 */
export function NavPending() {
  const { pending } = useLinkStatus();
  return pending ? <LoaderCircle aria-hidden className="ml-auto size-4 animate-spin text-slate-400" /> : null;
}
