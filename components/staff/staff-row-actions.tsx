"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { inputClass } from "@/components/ui/field";
import { ROLES, type Role } from "@/lib/auth/roles";
import { changeStaffRole, resetStaffPassword, setStaffDisabled } from "@/lib/staff/actions";
import { PasswordReveal } from "./password-reveal";

interface Props {
  member: { id: number; email: string; role: Role; disabled: boolean };
  isSelf: boolean;
}

export function StaffRowActions({ member, isSelf }: Props) {
  const t = useTranslations();
  const [confirm, setConfirm] = useState<"disable" | "reset" | null>(null);
  const [reveal, setReveal] = useState<{ email: string; password: string } | null>(null);
  const role = useActionForm(changeStaffRole);
  const toggle = useActionForm(setStaffDisabled, { onSuccess: () => setConfirm(null) });
  const reset = useActionForm(resetStaffPassword, {
    onSuccess: (result) => {
      setConfirm(null);
      if (result.reveal?.password) setReveal({ email: member.email, password: result.reveal.password });
    },
  });

  if (isSelf) return <span className="text-xs text-slate-500">{t("staff.you")}</span>;

  return (
    <div className="flex flex-wrap items-center gap-2">
      <form onSubmit={role.onSubmit} className="flex items-center gap-1">
        <input type="hidden" name="id" value={member.id} />
        <select
          name="role"
          defaultValue={member.role}
          aria-label={t("staff.roleFor", { email: member.email })}
          className={cn(inputClass, "w-auto py-1")}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </select>
        <Button
          type="submit"
          size="sm"
          variant="secondary"
          pending={role.pending}
          aria-label={t("staff.changeRoleFor", { email: member.email })}
        >
          {t("staff.changeRole")}
        </Button>
      </form>
      {member.disabled ? (
        <form onSubmit={toggle.onSubmit}>
          <input type="hidden" name="id" value={member.id} />
          <input type="hidden" name="disabled" value="false" />
          <Button type="submit" size="sm" variant="secondary" pending={toggle.pending}>
            {t("staff.enable")}
          </Button>
        </form>
      ) : (
        <Button
          size="sm"
          variant="secondary"
          onClick={() => setConfirm("disable")}
          aria-label={t("staff.disableFor", { email: member.email })}
        >
          {t("staff.disable")}
        </Button>
      )}
      <Button
        size="sm"
        variant="ghost"
        onClick={() => setConfirm("reset")}
        aria-label={t("staff.resetFor", { email: member.email })}
      >
        {t("staff.resetPassword")}
      </Button>

      <Dialog
        open={confirm !== null}
        onClose={() => setConfirm(null)}
        title={
          confirm === "reset"
            ? t("staff.resetConfirmTitle", { email: member.email })
            : t("staff.disableConfirmTitle", { email: member.email })
        }
      >
        <p className="text-sm text-slate-700">
          {confirm === "reset" ? t("staff.resetConfirmBody") : t("staff.disableConfirmBody")}
        </p>
        <form
          onSubmit={confirm === "reset" ? reset.onSubmit : toggle.onSubmit}
          className="mt-6 flex justify-end gap-3"
        >
          <input type="hidden" name="id" value={member.id} />
          {confirm === "disable" && <input type="hidden" name="disabled" value="true" />}
          <Button variant="secondary" onClick={() => setConfirm(null)}>
            {t("staff.cancel")}
          </Button>
          <Button
            type="submit"
            variant="danger"
            pending={confirm === "reset" ? reset.pending : toggle.pending}
          >
            {confirm === "reset" ? t("staff.resetPassword") : t("staff.disable")}
          </Button>
        </form>
      </Dialog>
      <PasswordReveal reveal={reveal} onClose={() => setReveal(null)} />
    </div>
  );
}
