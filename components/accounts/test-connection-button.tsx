"use client";

import { PlugZap } from "lucide-react";
import { useTranslations } from "next-intl";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { testAccountConnection } from "@/lib/accounts/actions";

export function TestConnectionButton({ accountId }: { accountId: string }) {
  const t = useTranslations("accounts.connection");
  const { state, pending, onSubmit } = useActionForm(testAccountConnection);
  return (
    <form onSubmit={onSubmit} className="flex flex-col items-end gap-1">
      <input type="hidden" name="id" value={accountId} />
      <Button type="submit" variant="secondary" pending={pending}>
        <PlugZap aria-hidden className="size-4" />
        {t("test")}
      </Button>
      {state.message && (
        <p role="status" className={state.ok ? "text-sm text-emerald-700" : "text-sm text-red-700"}>
          {state.message}
        </p>
      )}
    </form>
  );
}
