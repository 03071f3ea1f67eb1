"use client";

import { KeyRound } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, FieldErrors } from "@/components/ui/field";
import { createApiKeyAction } from "@/lib/apikeys/actions";
import { API_SCOPES } from "@/lib/apikeys/scopes";
import { SecretReveal } from "./secret-reveal";

export function CreateApiKey() {
  const t = useTranslations("apikeys");
  const [open, setOpen] = useState(false);
  const [key, setKey] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const { state, pending, onSubmit } = useActionForm(createApiKeyAction, {
    onSuccess: (result) => {
      setOpen(false);
      setGeneration((g) => g + 1);
      if (result.reveal?.key) setKey(result.reveal.key);
    },
  });
  const e = state.errors ?? {};
  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <KeyRound aria-hidden className="size-4" />
        {t("create")}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={t("createTitle")}>
        <form key={generation} onSubmit={onSubmit} noValidate className="space-y-4">
          <Field name="name" label={t("name")} hint={t("nameHint")} required maxLength={64} errors={e.name} />
          <fieldset aria-describedby={e.scopes ? "field-scopes-error" : undefined}>
            <legend className="block text-sm font-medium text-slate-800">{t("scopes")}</legend>
            <div className="mt-2 space-y-2">
              {API_SCOPES.map((scope) => (
                <label key={scope} className="flex items-start gap-2 text-sm">
                  <input type="checkbox" name="scopes" value={scope} className="mt-1" />
                  <span>
                    <code className="font-mono">{scope}</code>
                    <span className="block text-slate-600">
                      {t(`scopeHints.${scope.replace(":", "_")}` as never)}
                    </span>
                  </span>
                </label>
              ))}
            </div>
            <FieldErrors id="field-scopes-error" errors={e.scopes} />
          </fieldset>
          <div className="flex justify-end gap-3">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              {t("cancel")}
            </Button>
            <Button type="submit" pending={pending}>
              {t("createSubmit")}
            </Button>
          </div>
        </form>
      </Dialog>
      <SecretReveal
        secret={key}
        title={t("reveal.title")}
        label={t("reveal.label")}
        body={t("reveal.body")}
        onClose={() => setKey(null)}
      />
    </>
  );
}
