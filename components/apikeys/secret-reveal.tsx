"use client";

import { Copy } from "lucide-react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

/** Shows a just-made API key or webhook secret exactly once: only its hash (or sealed copy) is kept. */
export function SecretReveal({
  secret,
  title,
  label,
  body,
  onClose,
}: {
  secret: string | null;
  title: string;
  label: string;
  body: string;
  onClose: () => void;
}) {
  const t = useTranslations("secretReveal");
  return (
    <Dialog open={secret !== null} onClose={onClose} title={title}>
      {secret && (
        <div className="space-y-4 text-sm">
          <p>{body}</p>
          <div className="flex items-center gap-2">
            <output
              aria-label={label}
              className="flex-1 rounded-md bg-slate-100 px-3 py-2 font-mono text-sm break-all select-all"
            >
              {secret}
            </output>
            <Button
              variant="secondary"
              onClick={() =>
                navigator.clipboard.writeText(secret).then(
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
