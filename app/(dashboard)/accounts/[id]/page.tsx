import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AccountDangerZone } from "@/components/accounts/danger-zone";
import { AccountForm } from "@/components/accounts/account-form";
import { HealthPanel } from "@/components/accounts/health-panel";
import { PushSetup } from "@/components/push/push-setup";
import { ScheduleForm } from "@/components/accounts/schedule-form";
import { SyncAccountButtons } from "@/components/syncs/sync-buttons";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { accountDataCounts, getAccount } from "@/lib/accounts/queries";
import { can } from "@/lib/auth/roles";
import { currentStaff, requirePagePermission } from "@/lib/auth/session";
import { pushSummary } from "@/lib/push/queries";
import { pushServerUrl } from "@/lib/push/server-url";
import { requestTime } from "@/lib/time/request-time";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  // Metadata renders beside the page, not after its permission check: check here too, or the title
  // tells a support user the account's name.
  const staff = await currentStaff();
  if (!staff || !can(staff.role, "accounts:manage")) return {};
  const account = getAccount((await params).id);
  return { title: account?.name ?? (await getTranslations("errors"))("notFoundTitle") };
}

export default async function AccountPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePagePermission("accounts:manage");
  const account = getAccount((await params).id);
  if (!account) notFound();
  const t = await getTranslations("accounts");
  const tSync = await getTranslations("syncs");
  const format = await getFormatter();
  return (
    <div className="max-w-3xl space-y-6">
      <div>
        <Link href="/accounts" className="text-sm text-emerald-700 hover:underline">
          ← {t("backToList")}
        </Link>
      </div>
      <PageHeader
        title={account.name}
        description={t("editDescription", {
          date: format.dateTime(account.secretsUpdatedAt, { dateStyle: "medium", timeStyle: "short" }),
        })}
        actions={
          account.disabledAt ? (
            <Badge tone="red">{t("disabled")}</Badge>
          ) : (
            <Badge tone="green">{t("enabled")}</Badge>
          )
        }
      />
      <Card>
        <AccountForm
          account={{
            id: account.id,
            name: account.name,
            appid: account.appid,
            originalId: account.originalId,
            boundToOpenPlatform: account.boundToOpenPlatform,
            hasPushToken: account.hasPushToken,
            hasAesKey: account.hasAesKey,
          }}
        />
      </Card>
      <Card>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <h2 className="text-base font-semibold">{tSync("title")}</h2>
            <p className="mt-1 text-sm text-slate-600">{tSync("schedule.description")}</p>
          </div>
          {!account.disabledAt && <SyncAccountButtons accountId={account.id} accountName={account.name} />}
        </div>
        <div className="mt-4">
          <ScheduleForm
            account={{ id: account.id, schedule: account.schedule, scheduleTime: account.scheduleTime }}
          />
        </div>
      </Card>
      <PushSetup
        account={{
          id: account.id,
          hasPushToken: account.hasPushToken,
          hasAesKey: account.hasAesKey,
          disabled: Boolean(account.disabledAt),
        }}
        serverUrl={await pushServerUrl(account.appid)}
        summary={pushSummary(account.id, requestTime())}
      />
      <HealthPanel accountId={account.id} />
      <AccountDangerZone
        account={{
          id: account.id,
          name: account.name,
          disabled: Boolean(account.disabledAt),
          ...accountDataCounts(account.id),
        }}
      />
    </div>
  );
}
