import { Activity } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClass } from "@/components/ui/button";
import { Alert, Badge, Card, PageHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { requirePagePermission } from "@/lib/auth/session";
import { systemStatus, type Tone } from "@/lib/system/queries";
import { requestTime } from "@/lib/time/request-time";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("system") };
}

const BADGE = { ok: "green", warn: "amber", red: "red" } as const;

function StatusCard({
  title,
  tone,
  toneLabel,
  whenRed,
  advice,
  children,
  className,
}: {
  title: string;
  tone: Tone;
  toneLabel: string;
  whenRed: string;
  advice: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <Card className={cn("flex flex-col gap-3", className)}>
      <div className="flex items-center justify-between gap-3">
        <h2 className="text-base font-semibold text-slate-900">{title}</h2>
        <Badge tone={BADGE[tone]}>{toneLabel}</Badge>
      </div>
      <div className="text-sm">{children}</div>
      <p
        className={cn(
          "mt-auto rounded-md px-3 py-2 text-xs",
          tone === "ok" && "bg-slate-50 text-slate-600",
          tone === "warn" && "bg-amber-50 text-amber-900 ring-1 ring-amber-200",
          tone === "red" && "bg-red-50 text-red-800 ring-1 ring-red-200",
        )}
      >
        <span className="font-semibold">{whenRed}</span> {advice}
      </p>
    </Card>
  );
}

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[minmax(0,1fr)_auto] gap-x-4 gap-y-1.5">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-600">{label}</dt>
          <dd className="text-right font-medium text-slate-900 tabular-nums">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export default async function SystemPage() {
  await requirePagePermission("system:view");
  const t = await getTranslations("system");
  const format = await getFormatter();
  const now = requestTime();
  const status = systemStatus(now);
  const when = (at: Date | null) => (at ? format.relativeTime(at, now) : t("never"));
  const bytes = (n: number | null) => {
    if (n === null) return t("storage.unknown");
    const gb = n / 2 ** 30;
    return gb >= 1
      ? `${format.number(gb, { maximumFractionDigits: 1 })} GB`
      : `${format.number(n / 2 ** 20, { maximumFractionDigits: 1 })} MB`;
  };
  const card = (tone: Tone) => ({ tone, toneLabel: t(`tone.${tone}`), whenRed: t("whenRed") });
  const { worker, queue, runs24h, errors, storage, backup, readiness } = status;

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="mb-6">
        {readiness.ready ? (
          <p className="flex items-center gap-2 rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200">
            <Activity aria-hidden className="size-4" />
            {t("ready")}
          </p>
        ) : (
          <Alert title={t("notReadyTitle")}>
            {t("notReadyBody", { checks: readiness.failed.map((c) => t(`checks.${c}`)).join(", ") })}
          </Alert>
        )}
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <StatusCard title={t("worker.title")} advice={t("worker.advice")} {...card(worker.tone)}>
          <Facts
            rows={[
              [t("worker.mode"), t(`worker.modes.${worker.mode}`)],
              [t("worker.lastBeat"), when(worker.lastBeatAt)],
              [t("worker.activeRuns"), format.number(worker.activeRuns)],
              [t("worker.restarts"), format.number(worker.restarts)],
              ...(worker.lastStoppedAt
                ? ([[t("worker.stoppedAt"), when(worker.lastStoppedAt)]] as [string, ReactNode][])
                : []),
            ]}
          />
        </StatusCard>

        <StatusCard title={t("queue.title")} advice={t("queue.advice")} {...card(queue.tone)}>
          <Facts
            rows={[
              [t("queue.queued"), format.number(queue.queued)],
              [t("queue.running"), format.number(queue.running)],
              [t("queue.paused"), format.number(queue.paused)],
              [t("queue.oldest"), queue.oldestQueuedAt ? when(queue.oldestQueuedAt) : "—"],
            ]}
          />
        </StatusCard>

        <StatusCard title={t("runs.title")} advice={t("runs.advice")} {...card(runs24h.tone)}>
          <Facts
            rows={[
              [t("runs.done"), format.number(runs24h.done)],
              [t("runs.failed"), format.number(runs24h.failed)],
              [t("runs.cancelled"), format.number(runs24h.cancelled)],
              [t("runs.active"), format.number(runs24h.other)],
            ]}
          />
          <Link href="/syncs" className={cn(buttonClass("secondary"), "mt-3")}>
            {t("runs.link")}
          </Link>
        </StatusCard>

        <StatusCard title={t("storage.title")} advice={t("storage.advice")} {...card(storage.tone)}>
          <Facts
            rows={[
              [t("storage.database"), bytes(storage.databaseBytes)],
              [t("storage.wal"), bytes(storage.walBytes)],
              [
                t("storage.free"),
                <>
                  {bytes(storage.freeBytes)}
                  <span className="block text-xs font-normal text-slate-500">
                    {t("storage.minimum", { size: bytes(storage.minFreeBytes) })}
                  </span>
                </>,
              ],
            ]}
          />
        </StatusCard>

        <StatusCard title={t("errors.title")} advice={t("errors.advice")} {...card(errors.tone)}>
          {errors.accounts.length === 0 && errors.runs.length === 0 ? (
            <p className="text-slate-600">{t("errors.none")}</p>
          ) : (
            <ul className="flex flex-col gap-2">
              {errors.accounts.map((e) => (
                <li key={e.appid}>
                  <p className="font-medium text-red-800">
                    {t("errors.accountLine", {
                      name: e.name,
                      appid: e.appid,
                      code: e.code ?? "—",
                      path: e.path ?? "—",
                    })}
                  </p>
                  <p className="text-xs text-slate-600">
                    {when(e.at)}
                    {e.message ? ` · ${e.message}` : ""}
                  </p>
                </li>
              ))}
              {errors.runs.map((r) => (
                <li key={r.id}>
                  <Link href={`/syncs/${r.id}`} className="font-medium text-emerald-700 hover:underline">
                    {t("errors.runLine", { id: r.id, account: r.account })}
                  </Link>
                  <p className="text-xs text-slate-600">
                    {when(r.at)}
                    {r.message ? ` · ${r.message}` : ""}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </StatusCard>

        <StatusCard title={t("backup.title")} advice={t("backup.advice")} {...card(backup.tone)}>
          <p className="font-medium text-slate-900">
            {backup.lastAt ? when(backup.lastAt) : t("backup.none")}
          </p>
          <p className="mt-1 text-xs text-slate-600">{t("backup.noneBody")}</p>
        </StatusCard>
      </div>
    </>
  );
}
