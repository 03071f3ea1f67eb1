"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { deleteWebhookAction } from "@/lib/webhooks/actions";

export function DeleteWebhook({ id, url }: { id: number; url: string }) {
  const t = useTranslations("webhooks");
  const [open, setOpen] = useState(false);
  const { pending, onSubmit } = useActionForm(deleteWebhookAction, { onSuccess: () => setOpen(false) });
  return (
    <>
      <Button
        size="sm"
        variant="secondary"
        onClick={() => setOpen(true)}
        aria-label={t("deleteFor", { url })}
      >
        {t("delete")}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={t("deleteTitle")}>
        <p className="text-sm break-all text-slate-700">{t("deleteBody", { url })}</p>
        <form onSubmit={onSubmit} className="mt-6 flex justify-end gap-3">
          <input type="hidden" name="id" value={id} />
          <Button variant="secondary" onClick={() => setOpen(false)}>
            {t("cancel")}
          </Button>
          <Button type="submit" variant="danger" pending={pending}>
            {t("delete")}
          </Button>
        </form>
      </Dialog>
    </>
  );
}
