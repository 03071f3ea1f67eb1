"use client";

import { Copy } from "lucide-react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

/** Shows a generated password exactly once; it is not stored anywhere in readable form. */
export function PasswordReveal({
  reveal,
  onClose,
}: {
  reveal: { email: string; password: string } | null;
  onClose: () => void;
}) {
  const t = useTranslations("staff.reveal");
  return (
    <Dialog open={reveal !== null} onClose={onClose} title={t("title")}>
      {reveal && (
        <div className="space-y-4 text-sm">
          <p>{t("body", { email: reveal.email })}</p>
          <div className="flex items-center gap-2">
            <output
              aria-label={t("passwordLabel")}
              className="flex-1 rounded-md bg-slate-100 px-3 py-2 font-mono text-base select-all"
            >
              {reveal.password}
            </output>
            <Button
              variant="secondary"
              onClick={() =>
                navigator.clipboard.writeText(reveal.password).then(
                  () => toast.success(t("copied")),
                  () => toast.error(t("copyFailed")),
                )
              }
            >
              <Copy aria-hidden className="size-4" />
              {t("copy")}
            </Button>
          </div>
          <p className="text-slate-600">{t("once")}</p>
          <div className="flex justify-end">
            <Button onClick={onClose}>{t("done")}</Button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
