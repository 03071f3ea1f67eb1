"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { revokeApiKeyAction } from "@/lib/apikeys/actions";

/** Revoke, after a confirmation naming the key: systems using it get 401 from the next request. */
export function RevokeApiKey({ id, name }: { id: number; name: string }) {
  const t = useTranslations("apikeys");
  const [open, setOpen] = useState(false);
  const { pending, onSubmit } = useActionForm(revokeApiKeyAction, { onSuccess: () => setOpen(false) });
  return (
    <>
      <Button
        size="sm"
        variant="secondary"
        onClick={() => setOpen(true)}
        aria-label={t("revokeFor", { name })}
      >
        {t("revoke")}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={t("revokeTitle", { name })}>
        <p className="text-sm text-slate-700">{t("revokeBody")}</p>
        <form onSubmit={onSubmit} className="mt-6 flex justify-end gap-3">
          <input type="hidden" name="id" value={id} />
          <Button variant="secondary" onClick={() => setOpen(false)}>
            {t("cancel")}
          </Button>
          <Button type="submit" variant="danger" pending={pending}>
            {t("revoke")}
          </Button>
        </form>
      </Dialog>
    </>
  );
}
