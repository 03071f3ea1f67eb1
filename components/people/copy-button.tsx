"use client";

import { Copy } from "lucide-react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";

/** Copies a value (an openid, a unionid) to the clipboard, with an accessible name saying which. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const t = useTranslations("people.copy");
  return (
    <button
      type="button"
      aria-label={t("label", { what: label })}
      title={t("label", { what: label })}
      onClick={() =>
        navigator.clipboard.writeText(value).then(
          () => toast.success(t("done")),
          () => toast.error(t("failed")),
        )
      }
      className="rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:ring-2 focus-visible:ring-emerald-600 focus-visible:outline-none"
    >
      <Copy aria-hidden className="size-4" />
    </button>
  );
}
