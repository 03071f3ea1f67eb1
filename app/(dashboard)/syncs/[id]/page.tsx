import { requestTime } from "@/lib/time/request-time";
import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LiveRefresh } from "@/components/syncs/live-refresh";
import { CancelRunButton } from "@/components/syncs/sync-buttons";
import { RunProgress, RunStatusBadge, runErrorText } from "@/components/syncs/run-status";
import { Alert, Card, PageHeader } from "@/components/ui/card";
import { can } from "@/lib/auth/roles";
import { requirePagePermission } from "@/lib/auth/session";
import { CHANGES_SHOWN, CHANGE_KINDS, changesPrunedAfter, getRun, runChanges } from "@/lib/sync/queries";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  return { title: (await getTranslations("syncs"))("detail.title", { id: (await params).id }) };
}

export default async function SyncRunPage({ params }: { params: Promise<{ id: string }> }) {
  const staff = await requirePagePermission("syncs:view");
  const id = Number((await params).id);
  const run = Number.isInteger(id) && id > 0 ? getRun(id) : null;
  if (!run) notFound();
  const t = await getTranslations("syncs");
  const format = await getFormatter();
  const { counts, samples } = runChanges(run.id);
  const error = await runErrorText(run);
  const active = run.status === "queued" || run.status === "running";
  const recorded = CHANGE_KINDS.reduce((s, k) => s + (counts[k] ?? 0), 0);
  const prunedAfter = recorded === 0 ? changesPrunedAfter(run) : null;
  const firstImport = !prunedAfter && run.status === "done" && recorded === 0 && run.newFollowers > 0;
  const linkPeople = can(staff.role, "people:view");

  return (
    <div className="max-w-4xl space-y-6">
      <Link href="/syncs" className="text-sm text-emerald-700 hover:underline">
        ← {t("detail.back")}
      </Link>
      <PageHeader
        title={t("detail.title", { id: run.id })}
        description={`${run.accountName ?? run.accountId} · ${t(`kind.${run.kind}`)} · ${run.triggeredBy}`}
        actions={
          <div className="flex items-center gap-3">
            <LiveRefresh active={active} />
            <RunStatusBadge run={run} />
            {can(staff.role, "syncs:cancel") &&
              (active || run.status === "paused") &&
              !run.cancelRequested && <CancelRunButton runId={run.id} />}
          </div>
        }
      />
      <Card>
        <RunProgress run={run} now={requestTime()} />
        <dl className="mt-4 grid grid-cols-2 gap-4 text-sm sm:grid-cols-5">
          {(
            [
              ["followed", run.newFollowers],
              ["returned", run.returned],
              ["updated", run.updated],
              ["unfollowed", run.unfollowed],
              ["rejected", run.rejected],
            ] as const
          ).map(([key, value]) => (
            <div key={key}>
              <dt className="text-slate-500">{t(`detail.${key}`)}</dt>
              <dd className="text-xl font-semibold">{format.number(value)}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-4 text-xs text-slate-500">
          {t("detail.listed", {
            listed: format.number(run.listed),
            total: run.reportedTotal === null ? "?" : format.number(run.reportedTotal),
          })}
          {" · "}
          {t("detail.calls", { calls: run.apiCalls })}
        </p>
      </Card>
      {error && <Alert title={t("detail.error")}>{error}</Alert>}
      <Card>
        <h2 className="text-base font-semibold">{t("detail.summary")}</h2>
        {prunedAfter ? (
          <p className="mt-2 text-sm text-slate-600">
            {t("detail.changesPruned", {
              days: prunedAfter,
              followed: format.number(run.newFollowers),
              returned: format.number(run.returned),
              unfollowed: format.number(run.unfollowed),
            })}
          </p>
        ) : firstImport ? (
          <p className="mt-2 text-sm text-slate-600">
            {t("detail.firstImport", { count: format.number(run.newFollowers) })}
          </p>
        ) : recorded === 0 ? (
          <p className="mt-2 text-sm text-slate-600">
            {t(active || run.status === "paused" ? "detail.noChangesYet" : "detail.noChanges")}
          </p>
        ) : (
          <div className="mt-4 grid gap-6 sm:grid-cols-2">
            {CHANGE_KINDS.filter((kind) => (counts[kind] ?? 0) > 0).map((kind) => (
              <section key={kind} aria-labelledby={`changes-${kind}`}>
                <h3 id={`changes-${kind}`} className="text-sm font-semibold">
                  {t(`detail.${kind}`)} ({format.number(counts[kind] ?? 0)})
                </h3>
                <ul className="mt-2 space-y-1 font-mono text-xs">
                  {samples[kind].map((change) => (
                    <li key={change.openid}>
                      {linkPeople && change.personId !== null ? (
                        <Link
                          href={`/people/${change.personId}`}
                          className="text-emerald-800 underline-offset-2 hover:underline"
                        >
                          {change.openid}
                        </Link>
                      ) : (
                        change.openid
                      )}
                    </li>
                  ))}
                </ul>
                {(counts[kind] ?? 0) > CHANGES_SHOWN && (
                  <p className="mt-1 text-xs text-slate-500">
                    {t("detail.showingFirst", {
                      shown: CHANGES_SHOWN,
                      total: format.number(counts[kind] ?? 0),
                    })}
                  </p>
                )}
              </section>
            ))}
          </div>
        )}
      </Card>
    </div>
  );
}
