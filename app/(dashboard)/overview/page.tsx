import { BarChart3 } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { AccountsChart } from "@/components/analytics/accounts-chart";
import { AccountsTable } from "@/components/analytics/accounts-table";
import { Figures } from "@/components/analytics/figures";
import { HistogramChart } from "@/components/analytics/histogram-chart";
import { OverlapMatrix } from "@/components/analytics/overlap-matrix";
import { TotalsChart } from "@/components/analytics/totals-chart";
import { TrendChart } from "@/components/analytics/trend-chart";
import { buttonClass } from "@/components/ui/button";
import { Alert, Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { chartData } from "@/lib/analytics/charts";
import { audienceOverview, audienceTrend } from "@/lib/analytics/queries";
import { parseRange } from "@/lib/analytics/range";
import { can } from "@/lib/auth/roles";
import { requirePagePermission } from "@/lib/auth/session";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("overview") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const staff = await requirePagePermission("overview:view");
  const t = await getTranslations("overview");
  const format = await getFormatter();
  const overview = audienceOverview();
  const now = overview.at;
  const range = parseRange(await searchParams, now);
  const canSync = can(staff.role, "syncs:run");

  if (overview.accounts.length === 0) {
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

  const neverSynced = overview.accounts.filter((a) => a.lastSyncAt === null && !a.disabled);
  const stale = overview.accounts.filter((a) => a.stale);
  // During an account's first sync its followers are already counted batch by batch (provisional).
  const synced = overview.lastSyncAt !== null || overview.summedFollowers > 0;
  const names = (list: { name: string }[]) => format.list(list.map((a) => a.name));
  const charts = chartData(overview);
  const goSync = canSync && (
    <Link href="/syncs" className={`${buttonClass("secondary", "sm")} mt-2`}>
      {t("goSync")}
    </Link>
  );

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <p className="flex items-center gap-2 text-sm text-slate-600">
            {overview.lastSyncAt
              ? t("lastSync", { when: format.relativeTime(new Date(overview.lastSyncAt), new Date(now)) })
              : t("neverSynced")}
            {overview.provisional && <Badge tone="blue">{t("provisional")}</Badge>}
          </p>
        }
      />
      <div className="mb-6 space-y-3">
        {overview.provisional && (
          <Alert tone="amber" title={t("syncRunningTitle")}>
            {t("syncRunning", {
              accounts: names(overview.accounts.filter((a) => a.syncing)),
            })}
          </Alert>
        )}
        {synced && neverSynced.some((a) => !a.syncing) && (
          <Alert tone="amber" title={t("partialTitle")}>
            {t("partial", { count: neverSynced.length, accounts: names(neverSynced) })}
            {goSync}
          </Alert>
        )}
        {stale.length > 0 && (
          <Alert tone="amber" title={t("staleTitle")}>
            {t("stale", { count: stale.length, accounts: names(stale) })}
            {goSync}
          </Alert>
        )}
      </div>
      {synced ? (
        <>
          <Figures overview={overview} />
          <div className="mb-6 grid gap-4 lg:grid-cols-2">
            <TotalsChart totals={charts.totals} />
            <HistogramChart data={charts.histogram} />
            <AccountsChart data={charts.accounts} />
            <OverlapMatrix accounts={charts.matrix.accounts} cells={charts.matrix.cells} />
          </div>
          <div className="mb-6">
            <TrendChart points={audienceTrend(range.from, range.to)} range={range} />
          </div>
        </>
      ) : (
        <Card className="mb-6">
          <p className="text-sm text-slate-600">{t("notSynced")}</p>
          {goSync}
        </Card>
      )}
      <AccountsTable overview={overview} now={now} />
    </>
  );
}
