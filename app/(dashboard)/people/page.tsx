import { Users } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { listAccounts } from "@/lib/accounts/queries";
import { requirePagePermission } from "@/lib/auth/session";
import { sqlite } from "@/lib/db";
import { audienceStats } from "@/lib/sync/stats";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("people") };
}

export default async function PeoplePage() {
  await requirePagePermission("people:view");
  const t = await getTranslations("people");
  const accountCount = listAccounts().length;
  const stats = audienceStats(sqlite());
  const synced = stats.accounts.some((a) => a.lastSyncAt);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <EmptyState
        icon={<Users className="size-10" />}
        title={synced ? t("searchComingTitle") : t("emptyTitle")}
        body={
          accountCount === 0
            ? t("emptyNoAccounts")
            : synced
              ? t("syncedNoSearch", { people: stats.uniquePeople, follows: stats.summedFollowers })
              : t("emptyNotSynced", { count: accountCount })
        }
      />
    </>
  );
}
