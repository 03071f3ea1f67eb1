"use client";

import { UserPlus } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, FieldErrors, inputClass } from "@/components/ui/field";
import { ROLES } from "@/lib/auth/roles";
import { createStaff } from "@/lib/staff/actions";
import { PasswordReveal } from "./password-reveal";

export function CreateStaff() {
  const t = useTranslations();
  const [open, setOpen] = useState(false);
  const [reveal, setReveal] = useState<{ email: string; password: string } | null>(null);
  const [generation, setGeneration] = useState(0);
  const { state, pending, onSubmit } = useActionForm(createStaff, {
    onSuccess: (result) => {
      setOpen(false);
      setGeneration((g) => g + 1);
      if (result.reveal?.password)
        setReveal({ email: result.reveal.email ?? "", password: result.reveal.password });
    },
  });
  const e = state.errors ?? {};
  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <UserPlus aria-hidden className="size-4" />
        {t("staff.add")}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={t("staff.addTitle")}>
        <form key={generation} onSubmit={onSubmit} noValidate className="space-y-4">
          <Field
            name="email"
            type="email"
            label={t("staff.fields.email")}
            required
            autoComplete="off"
            errors={e.email}
          />
          <Field name="name" label={t("staff.fields.name")} required maxLength={64} errors={e.name} />
          <div>
            <label htmlFor="field-role" className="block text-sm font-medium text-slate-800">
              {t("staff.fields.role")}
            </label>
            <select id="field-role" name="role" defaultValue="support" className={`${inputClass} mt-1`}>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {t(`roles.${role}`)} — {t(`roles.${role}Hint`)}
                </option>
              ))}
            </select>
            <FieldErrors id="field-role-error" errors={e.role} />
          </div>
          <Field
            name="password"
            type="password"
            label={t("staff.fields.password")}
            hint={t("staff.hints.password")}
            autoComplete="new-password"
            errors={e.password}
          />
          <div className="flex justify-end gap-3">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              {t("staff.cancel")}
            </Button>
            <Button type="submit" pending={pending}>
              {t("staff.create")}
            </Button>
          </div>
        </form>
      </Dialog>
      <PasswordReveal reveal={reveal} onClose={() => setReveal(null)} />
    </>
  );
}
