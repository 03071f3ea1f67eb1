"use client";

import { useTranslations } from "next-intl";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { redeliverAction } from "@/lib/webhooks/actions";

/** Sends one event again under its webhook-id (receivers deduplicate by it). */
export function RedeliverButton({
  endpointId,
  deliveryId,
  msgId,
}: {
  endpointId: number;
  deliveryId: number;
  msgId: string;
}) {
  const t = useTranslations("webhooks");
  const { pending, onSubmit } = useActionForm(redeliverAction);
  return (
    <form onSubmit={onSubmit}>
      <input type="hidden" name="id" value={endpointId} />
      <input type="hidden" name="delivery" value={deliveryId} />
      <Button
        type="submit"
        size="sm"
        variant="secondary"
        pending={pending}
        aria-label={t("redeliverFor", { id: msgId })}
      >
        {t("redeliver")}
      </Button>
    </form>
  );
}
