import { BarChart3 } from "lucide-react";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { listAccounts } from "@/lib/accounts/queries";
import { can } from "@/lib/auth/roles";
import { requirePagePermission } from "@/lib/auth/session";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("overview") };
}

export default async function OverviewPage() {
  const staff = await requirePagePermission("overview:view");
  const t = await getTranslations("overview");
  const accounts = listAccounts().filter((a) => !a.disabledAt);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {accounts.length === 0 ? (
        <EmptyState
          icon={<BarChart3 className="size-10" />}
          title={t("noAccounts")}
          body={can(staff.role, "accounts:manage") ? t("noAccountsAdmin") : t("noAccountsOther")}
          action={
            can(staff.role, "accounts:manage") && (
              <Link href="/accounts/new" className={buttonClass()}>
                {t("addFirst")}
              </Link>
            )
          }
        />
      ) : (
        <Card>
          <h2 className="text-base font-semibold">{t("accountsTitle", { count: accounts.length })}</h2>
          <p className="mt-1 text-sm text-slate-600">{t("notSynced")}</p>
          <ul className="mt-4 divide-y divide-slate-100">
            {accounts.map((account) => (
              <li key={account.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
                <div>
                  <p className="font-medium">{account.name}</p>
                  <p className="font-mono text-xs text-slate-500">{account.appid}</p>
                </div>
                <div className="flex gap-2">
                  {account.boundToOpenPlatform ? (
                    <Badge tone="green">{t("bound")}</Badge>
                  ) : (
                    <Badge tone="amber">{t("unbound")}</Badge>
                  )}
                  <Badge>{t("neverSynced")}</Badge>
                </div>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}
