"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";

export default function DashboardError({
  reset,
  error,
}: {
  reset: () => void;
  error: Error & { digest?: string };
}) {
  const t = useTranslations("errors");
  return (
    <div className="space-y-4">
      <Alert title={t("unexpectedTitle")}>
        {t("unexpected")}
        {error.digest && <span className="block text-xs">{t("reference", { digest: error.digest })}</span>}
      </Alert>
      <Button variant="secondary" onClick={reset}>
        {t("retry")}
      </Button>
    </div>
  );
}
