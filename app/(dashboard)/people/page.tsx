import { Users } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { listAccounts } from "@/lib/accounts/queries";
import { requirePagePermission } from "@/lib/auth/session";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("people") };
}

export default async function PeoplePage() {
  await requirePagePermission("people:view");
  const t = await getTranslations("people");
  const accountCount = listAccounts().length;
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <EmptyState
        icon={<Users className="size-10" />}
        title={t("emptyTitle")}
        body={accountCount === 0 ? t("emptyNoAccounts") : t("emptyNotSynced", { count: accountCount })}
      />
    </>
  );
}
