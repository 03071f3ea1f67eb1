"use client";

import { Eye, EyeOff } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldErrors, inputClass } from "@/components/ui/field";

interface SecretFieldProps {
  name: string;
  label: string;
  hint: string;
  /** A value is stored: show it masked with "replace" instead of an input. */
  stored: boolean;
  /** Optional secrets can also be removed. */
  removable?: boolean;
  errors?: string[];
  required?: boolean;
}

/**
 * Write-only secret input: a stored secret is never sent to the browser, so the form can only say
 * that one is set and offer to replace (or remove) it.
 */
export function SecretField({ name, label, hint, stored, removable, errors, required }: SecretFieldProps) {
  const t = useTranslations("accounts.secret");
  const [replacing, setReplacing] = useState(!stored || Boolean(errors?.length));
  const [visible, setVisible] = useState(false);
  const [remove, setRemove] = useState(false);
  const id = `field-${name}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;

  return (
    <div>
      <label htmlFor={replacing ? id : undefined} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {replacing ? (
        <div className="mt-1 flex gap-2">
          <input
            id={id}
            name={name}
            type={visible ? "text" : "password"}
            autoComplete="new-password"
            spellCheck={false}
            required={required}
            aria-invalid={errors?.length ? true : undefined}
            aria-describedby={`${hintId}${errors?.length ? ` ${errorId}` : ""}`}
            className={cn(inputClass, "font-mono")}
          />
          <Button variant="secondary" size="sm" onClick={() => setVisible((v) => !v)} aria-pressed={visible}>
            {visible ? <EyeOff aria-hidden className="size-4" /> : <Eye aria-hidden className="size-4" />}
            <span className="sr-only">{visible ? t("hide") : t("show")}</span>
          </Button>
          {stored && (
            <Button variant="ghost" size="sm" onClick={() => setReplacing(false)}>
              {t("keep")}
            </Button>
          )}
        </div>
      ) : (
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <span
            className={cn("font-mono tracking-widest text-slate-500", remove && "line-through")}
            aria-label={t("storedMasked")}
          >
            ••••••••••••
          </span>
          <Button
            variant="secondary"
            size="sm"
            onClick={() => setReplacing(true)}
            disabled={remove}
            aria-label={t("replaceLabel", { label })}
          >
            {t("replace")}
          </Button>
          {removable && (
            <label className="flex items-center gap-1.5 text-sm text-slate-700">
              <input
                type="checkbox"
                name={`remove${name.charAt(0).toUpperCase()}${name.slice(1)}`}
                checked={remove}
                onChange={(e) => setRemove(e.target.checked)}
              />
              {t("remove")}
            </label>
          )}
        </div>
      )}
      <p id={hintId} className="mt-1 text-xs text-slate-500">
        {hint}
      </p>
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}
