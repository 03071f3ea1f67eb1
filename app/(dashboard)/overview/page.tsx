import { BarChart3 } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { listAccounts } from "@/lib/accounts/queries";
import { can } from "@/lib/auth/roles";
import { requirePagePermission } from "@/lib/auth/session";
import { sqlite } from "@/lib/db";
import { audienceStats } from "@/lib/sync/stats";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("overview") };
}

export default async function OverviewPage() {
  const staff = await requirePagePermission("overview:view");
  const t = await getTranslations("overview");
  const format = await getFormatter();
  const accounts = listAccounts().filter((a) => !a.disabledAt);
  const stats = audienceStats(sqlite());
  const synced = stats.accounts.some((a) => a.lastSyncAt);
  const byAppid = new Map(stats.accounts.map((a) => [a.appid, a]));
  const share = (n: number, of: number) =>
    of > 0 ? format.number(n / of, { style: "percent", maximumFractionDigits: 1 }) : "—";

  if (accounts.length === 0) {
    return (
      <>
        <PageHeader title={t("title")} description={t("description")} />
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
      </>
    );
  }

  const figures = [
    { label: t("figures.unique"), value: format.number(stats.uniquePeople), note: t("figures.uniqueNote") },
    {
      label: t("figures.summed"),
      value: format.number(stats.summedFollowers),
      note: t("figures.summedNote"),
    },
    {
      label: t("figures.duplicates"),
      value: format.number(stats.duplicateFollows),
      note: t("figures.duplicatesNote", { share: share(stats.duplicateFollows, stats.summedFollowers) }),
    },
    {
      label: t("figures.noUnionid"),
      value: format.number(stats.withoutUnionid),
      note: t("figures.noUnionidNote", {
        coverage: share(stats.summedFollowers - stats.withoutUnionid, stats.summedFollowers),
      }),
    },
  ];

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {synced ? (
        <dl className="mb-6 grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
          {figures.map((f) => (
            <Card key={f.label}>
              <dt className="text-sm text-slate-600">{f.label}</dt>
              <dd className="mt-1 text-3xl font-semibold tracking-tight">{f.value}</dd>
              <dd className="mt-1 text-xs text-slate-500">{f.note}</dd>
            </Card>
          ))}
        </dl>
      ) : (
        <Card className="mb-6">
          <p className="text-sm text-slate-600">{t("notSynced")}</p>
          {can(staff.role, "syncs:run") && (
            <Link href="/syncs" className={`${buttonClass()} mt-3`}>
              {t("goSync")}
            </Link>
          )}
        </Card>
      )}
      <Table
        caption={t("accountsTitle", { count: accounts.length })}
        head={
          <>
            <Th>{t("columns.account")}</Th>
            <Th>{t("columns.followers")}</Th>
            <Th>{t("columns.reported")}</Th>
            <Th>{t("columns.noUnionid")}</Th>
            <Th>{t("columns.lastSync")}</Th>
            <Th>{t("columns.openPlatform")}</Th>
          </>
        }
      >
        {accounts.map((account) => {
          const s = byAppid.get(account.appid);
          const differs =
            s?.reportedTotal !== null && s?.reportedTotal !== undefined && s.reportedTotal !== s.followers;
          return (
            <tr key={account.id}>
              <Td className="font-medium whitespace-nowrap">{account.name}</Td>
              <Td>{s?.lastSyncAt ? format.number(s.followers) : "—"}</Td>
              <Td>
                {s?.reportedTotal === null || s?.reportedTotal === undefined
                  ? "—"
                  : format.number(s.reportedTotal)}
                {differs && (
                  <span className="ml-2">
                    <Badge tone="amber">{t("differs")}</Badge>
                  </span>
                )}
              </Td>
              <Td>{s?.lastSyncAt ? format.number(s.withoutUnionid) : "—"}</Td>
              <Td className="whitespace-nowrap">
                {s?.lastSyncAt ? (
                  format.relativeTime(new Date(s.lastSyncAt))
                ) : (
                  <Badge>{t("neverSynced")}</Badge>
                )}
              </Td>
              <Td>
                {account.boundToOpenPlatform ? (
                  <Badge tone="green">{t("bound")}</Badge>
                ) : (
                  <Badge tone="amber">{t("unbound")}</Badge>
                )}
              </Td>
            </tr>
          );
        })}
      </Table>
    </>
  );
}
