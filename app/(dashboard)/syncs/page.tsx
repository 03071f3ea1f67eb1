import { requestTime } from "@/lib/time/request-time";
import { RefreshCw } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { CancelRunButton, SyncAccountButtons, SyncAllButtons } from "@/components/syncs/sync-buttons";
import { LiveRefresh } from "@/components/syncs/live-refresh";
import { formatSeconds, RunProgress, RunStatusBadge, runErrorText } from "@/components/syncs/run-status";
import { buttonClass } from "@/components/ui/button";
import { Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { listAccounts } from "@/lib/accounts/queries";
import { can } from "@/lib/auth/roles";
import { requirePagePermission } from "@/lib/auth/session";
import { listRuns } from "@/lib/sync/queries";
import { accountSyncState } from "@/lib/sync/account-state";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("syncs") };
}

export default async function SyncsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const staff = await requirePagePermission("syncs:view");
  const params = await searchParams;
  const beforeId = Number(params.before) > 0 ? Number(params.before) : undefined;
  const t = await getTranslations("syncs");
  const format = await getFormatter();
  const { rows, nextBeforeId } = listRuns({ beforeId });
  const accounts = listAccounts().filter((a) => !a.disabledAt);
  const states = accountSyncState();
  const now = requestTime();
  const live = rows.some((r) => r.status === "queued" || r.status === "running");
  const mayRun = can(staff.role, "syncs:run");
  const mayCancel = can(staff.role, "syncs:cancel");
  const errors = await Promise.all(rows.map((r) => runErrorText(r)));

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={mayRun && accounts.length > 0 && <SyncAllButtons />}
      />
      {accounts.length > 0 && (
        <Card className="mb-6">
          <ul className="divide-y divide-slate-100">
            {accounts.map((account) => {
              const state = states.get(account.id);
              return (
                <li key={account.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                  <div>
                    <p className="font-medium">{account.name}</p>
                    <p className="text-xs text-slate-500">
                      {state?.lastSyncAt
                        ? t("accountLine", {
                            followers: format.number(state.followers),
                            when: format.relativeTime(state.lastSyncAt, now),
                          })
                        : t("neverSynced")}
                    </p>
                  </div>
                  {mayRun && <SyncAccountButtons accountId={account.id} accountName={account.name} />}
                </li>
              );
            })}
          </ul>
        </Card>
      )}
      <div className="mb-2 flex justify-end">
        <LiveRefresh active={live} />
      </div>
      {rows.length === 0 ? (
        <EmptyState icon={<RefreshCw className="size-10" />} title={t("emptyTitle")} body={t("emptyBody")} />
      ) : (
        <Table
          caption={t("title")}
          head={
            <>
              <Th>{t("columns.run")}</Th>
              <Th>{t("columns.account")}</Th>
              <Th>{t("columns.kind")}</Th>
              <Th>{t("columns.status")}</Th>
              <Th>{t("columns.progress")}</Th>
              <Th>{t("columns.started")}</Th>
              <Th>{t("columns.duration")}</Th>
              <Th>{t("columns.calls")}</Th>
              <Th>{t("columns.changes")}</Th>
              <Th>{t("columns.trigger")}</Th>
              <Th />
            </>
          }
        >
          {rows.map((run, i) => {
            const end = run.finishedAt?.getTime() ?? (run.status === "running" ? now : null);
            const duration = run.startedAt && end ? Math.round((end - run.startedAt.getTime()) / 1000) : null;
            return (
              <tr key={run.id}>
                <Td>
                  <Link href={`/syncs/${run.id}`} className="font-medium text-emerald-700 hover:underline">
                    #{run.id}
                  </Link>
                </Td>
                <Td className="whitespace-nowrap">{run.accountName ?? run.accountId}</Td>
                <Td className="whitespace-nowrap">{t(`kind.${run.kind}`)}</Td>
                <Td>
                  <RunStatusBadge run={run} />
                </Td>
                <Td>
                  <RunProgress run={run} now={now} />
                  {errors[i] && <p className="max-w-xs text-xs text-red-700">{errors[i]}</p>}
                </Td>
                <Td className="whitespace-nowrap text-slate-600">
                  {run.startedAt
                    ? format.dateTime(run.startedAt, { dateStyle: "short", timeStyle: "medium" })
                    : "—"}
                </Td>
                <Td>{duration === null ? "—" : formatSeconds(duration)}</Td>
                <Td>{format.number(run.apiCalls)}</Td>
                <Td className="whitespace-nowrap">
                  {format.number(run.newFollowers + run.returned)} / {format.number(run.updated)} /{" "}
                  {format.number(run.unfollowed)} / {format.number(run.rejected)}
                </Td>
                <Td className="text-xs text-slate-600">
                  {run.triggeredBy === "schedule" || run.triggeredBy === "cli"
                    ? t(`trigger.${run.triggeredBy}`)
                    : run.triggeredBy}
                </Td>
                <Td>
                  {mayCancel &&
                    ["queued", "running", "paused"].includes(run.status) &&
                    !run.cancelRequested && <CancelRunButton runId={run.id} />}
                </Td>
              </tr>
            );
          })}
        </Table>
      )}
      <div className="mt-4 flex gap-3">
        {beforeId && (
          <Link href="/syncs" className={buttonClass("secondary")}>
            {t("newest")}
          </Link>
        )}
        {nextBeforeId && (
          <Link href={`/syncs?before=${nextBeforeId}`} className={buttonClass("secondary")}>
            {t("older")}
          </Link>
        )}
      </div>
    </>
  );
}
