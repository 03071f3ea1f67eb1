"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { deleteAccount, setAccountDisabled } from "@/lib/accounts/actions";

interface Props {
  account: { id: string; name: string; disabled: boolean; followers: number; runs: number };
}

export function AccountDangerZone({ account }: Props) {
  const t = useTranslations("accounts.danger");
  const [confirmDisable, setConfirmDisable] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [typed, setTyped] = useState("");
  const toggle = useActionForm(setAccountDisabled, { onSuccess: () => setConfirmDisable(false) });
  // deleteAccount redirects to the list itself: this page has nothing left to show.
  const remove = useActionForm(deleteAccount);

  return (
    <Card className="ring-red-200">
      <h2 className="text-base font-semibold text-red-700">{t("title")}</h2>
      <div className="mt-4 flex flex-col gap-4 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <p className="font-medium">{account.disabled ? t("enableTitle") : t("disableTitle")}</p>
          <p className="text-sm text-slate-600">{account.disabled ? t("enableBody") : t("disableBody")}</p>
        </div>
        {account.disabled ? (
          <form onSubmit={toggle.onSubmit}>
            <input type="hidden" name="id" value={account.id} />
            <input type="hidden" name="disabled" value="false" />
            <Button type="submit" variant="secondary" pending={toggle.pending}>
              {t("enable")}
            </Button>
          </form>
        ) : (
          <Button variant="secondary" onClick={() => setConfirmDisable(true)}>
            {t("disable")}
          </Button>
        )}
      </div>
      <div className="mt-4 flex flex-col gap-4 border-t border-slate-100 pt-4 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <p className="font-medium">{t("deleteTitle")}</p>
          <p className="text-sm text-slate-600">{t("deleteBody")}</p>
        </div>
        <Button variant="danger" onClick={() => setConfirmDelete(true)}>
          {t("delete")}
        </Button>
      </div>

      <Dialog
        open={confirmDisable}
        onClose={() => setConfirmDisable(false)}
        title={t("disableConfirmTitle", { name: account.name })}
      >
        <p className="text-sm text-slate-700">{t("disableBody")}</p>
        <form onSubmit={toggle.onSubmit} className="mt-6 flex justify-end gap-3">
          <input type="hidden" name="id" value={account.id} />
          <input type="hidden" name="disabled" value="true" />
          <Button variant="secondary" onClick={() => setConfirmDisable(false)}>
            {t("cancel")}
          </Button>
          <Button type="submit" variant="danger" pending={toggle.pending}>
            {t("disable")}
          </Button>
        </form>
      </Dialog>

      <Dialog
        open={confirmDelete}
        onClose={() => {
          setConfirmDelete(false);
          setTyped("");
        }}
        title={t("deleteConfirmTitle", { name: account.name })}
      >
        <p className="text-sm text-slate-700">{t("deleteWhat")}</p>
        <ul className="mt-2 list-disc pl-5 text-sm text-slate-700">
          <li>{t("deleteItemCredentials")}</li>
          <li>{t("deleteItemSettings")}</li>
          <li>{t("deleteItemFollowers", { followers: account.followers })}</li>
          <li>{t("deleteItemRuns", { runs: account.runs })}</li>
        </ul>
        <p className="mt-2 text-sm text-slate-700">{t("deleteKept")}</p>
        <form onSubmit={remove.onSubmit} className="mt-4 space-y-4">
          <input type="hidden" name="id" value={account.id} />
          <Field
            name="confirmName"
            label={t("typeName", { name: account.name })}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            errors={remove.state.errors?.confirmName}
          />
          <div className="flex justify-end gap-3">
            <Button variant="secondary" onClick={() => setConfirmDelete(false)}>
              {t("cancel")}
            </Button>
            <Button
              type="submit"
              variant="danger"
              pending={remove.pending}
              disabled={typed.trim() !== account.name}
            >
              {t("deleteForever")}
            </Button>
          </div>
        </form>
      </Dialog>
    </Card>
  );
}
