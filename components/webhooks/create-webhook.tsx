"use client";

import { Plus } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { SecretReveal } from "@/components/apikeys/secret-reveal";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, FieldErrors } from "@/components/ui/field";
import { WEBHOOK_EVENTS } from "@/lib/apiv1/schemas";
import { createWebhookAction } from "@/lib/webhooks/actions";

export function CreateWebhook() {
  const t = useTranslations("webhooks");
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const { state, pending, onSubmit } = useActionForm(createWebhookAction, {
    onSuccess: (result) => {
      setOpen(false);
      setGeneration((g) => g + 1);
      if (result.reveal?.secret) setSecret(result.reveal.secret);
    },
  });
  const e = state.errors ?? {};
  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <Plus aria-hidden className="size-4" />
        {t("add")}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={t("addTitle")}>
        <form key={generation} onSubmit={onSubmit} noValidate className="space-y-4">
          <Field
            name="url"
            type="url"
            label={t("url")}
            hint={t("urlHint")}
            required
            placeholder="https://crm.example.com/hooks/unionview"
            errors={e.url}
          />
          <fieldset aria-describedby={e.events ? "field-events-error" : undefined}>
            <legend className="block text-sm font-medium text-slate-800">{t("events")}</legend>
            <div className="mt-2 space-y-2">
              {WEBHOOK_EVENTS.map((event) => (
                <label key={event} className="flex items-start gap-2 text-sm">
                  <input type="checkbox" name="events" value={event} defaultChecked className="mt-1" />
                  <span>
                    <code className="font-mono">{event}</code>
                    <span className="block text-slate-600">
                      {t(`eventHints.${event.replace(".", "_")}` as never)}
                    </span>
                  </span>
                </label>
              ))}
            </div>
            <FieldErrors id="field-events-error" errors={e.events} />
          </fieldset>
          <p className="text-sm text-slate-600">{t("firstSyncNote")}</p>
          <div className="flex justify-end gap-3">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              {t("cancel")}
            </Button>
            <Button type="submit" pending={pending}>
              {t("addSubmit")}
            </Button>
          </div>
        </form>
      </Dialog>
      <SecretReveal
        secret={secret}
        title={t("reveal.title")}
        label={t("reveal.label")}
        body={t("reveal.body")}
        onClose={() => setSecret(null)}
      />
    </>
  );
}
