import { getTranslations } from "next-intl/server";
import { AccountForm } from "@/components/accounts/account-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requirePagePermission } from "@/lib/auth/session";

export async function generateMetadata() {
  return { title: (await getTranslations("accounts"))("addTitle") };
}

export default async function NewAccountPage() {
  await requirePagePermission("accounts:manage");
  const t = await getTranslations("accounts");
  return (
    <div className="max-w-3xl">
      <PageHeader title={t("addTitle")} description={t("addDescription")} />
      <Card>
        <AccountForm />
      </Card>
    </div>
  );
}
