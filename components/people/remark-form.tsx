"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { updateRemark } from "@/lib/people/actions";
import { REMARK_MAX } from "@/lib/people/remark";

interface Props {
  personId: number;
  accountId: string;
  accountName: string;
  openid: string;
  remark: string | null;
}

/** Edits one follower's remark: WeChat is asked first, so a refusal keeps the old remark and the typed text. */
export function RemarkForm({ personId, accountId, accountName, openid, remark }: Props) {
  const t = useTranslations("people.remark");
  const [value, setValue] = useState(remark ?? "");
  const { state, pending, onSubmit } = useActionForm(updateRemark);
  const length = [...value.trim()].length;
  const tooLong = length > REMARK_MAX;
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-start gap-2" noValidate>
      <input type="hidden" name="personId" value={personId} />
      <input type="hidden" name="accountId" value={accountId} />
      <input type="hidden" name="openid" value={openid} />
      <Field
        name="remark"
        id={`remark-${accountId}`}
        label={t("label", { name: accountName })}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        hint={t("hint", { length, max: REMARK_MAX })}
        errors={tooLong ? [t("tooLong", { max: REMARK_MAX })] : state.errors?.remark}
        className="min-w-56 flex-1"
        autoComplete="off"
      />
      <Button
        type="submit"
        variant="secondary"
        pending={pending}
        disabled={tooLong}
        className="mt-6"
        aria-label={t("saveFor", { name: accountName })}
      >
        {t("save")}
      </Button>
    </form>
  );
}
