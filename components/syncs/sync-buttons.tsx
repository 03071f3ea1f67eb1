"use client";

import { RefreshCw } from "lucide-react";
import { useTranslations } from "next-intl";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { cancelSync, startAllSyncs, startSync } from "@/lib/sync/actions";

export function SyncAccountButtons({ accountId, accountName }: { accountId: string; accountName: string }) {
  const t = useTranslations("syncs");
  const incremental = useActionForm(startSync);
  const full = useActionForm(startSync);
  return (
    <div className="flex flex-wrap gap-2">
      <form onSubmit={incremental.onSubmit}>
        <input type="hidden" name="accountId" value={accountId} />
        <input type="hidden" name="kind" value="incremental" />
        <Button
          type="submit"
          size="sm"
          pending={incremental.pending}
          aria-label={`${t("syncNow")} ${accountName}`}
        >
          <RefreshCw aria-hidden className="size-4" />
          {t("syncNow")}
        </Button>
      </form>
      <form onSubmit={full.onSubmit}>
        <input type="hidden" name="accountId" value={accountId} />
        <input type="hidden" name="kind" value="full" />
        <Button
          type="submit"
          size="sm"
          variant="secondary"
          pending={full.pending}
          aria-label={`${t("fullRescan")} ${accountName}`}
        >
          {t("fullRescan")}
        </Button>
      </form>
    </div>
  );
}

export function SyncAllButtons() {
  const t = useTranslations("syncs");
  const incremental = useActionForm(startAllSyncs);
  const full = useActionForm(startAllSyncs);
  return (
    <>
      <form onSubmit={incremental.onSubmit}>
        <input type="hidden" name="kind" value="incremental" />
        <Button type="submit" pending={incremental.pending}>
          <RefreshCw aria-hidden className="size-4" />
          {t("syncAll")}
        </Button>
      </form>
      <form onSubmit={full.onSubmit}>
        <input type="hidden" name="kind" value="full" />
        <Button type="submit" variant="secondary" pending={full.pending}>
          {t("syncAllFull")}
        </Button>
      </form>
    </>
  );
}

export function CancelRunButton({ runId }: { runId: number }) {
  const t = useTranslations("syncs");
  const { pending, onSubmit } = useActionForm(cancelSync);
  return (
    <form onSubmit={onSubmit}>
      <input type="hidden" name="runId" value={runId} />
      <Button
        type="submit"
        size="sm"
        variant="ghost"
        pending={pending}
        aria-label={`${t("cancel")} #${runId}`}
      >
        {t("cancel")}
      </Button>
    </form>
  );
}
