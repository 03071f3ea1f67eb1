import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/card";
import type { RunSummary } from "@/lib/sync/queries";
import { explainWeChatError } from "@/lib/i18n/wechat-errors";

const tones = {
  queued: "slate",
  running: "blue",
  paused: "amber",
  done: "green",
  failed: "red",
  cancelled: "slate",
} as const;

export async function RunStatusBadge({
  run,
}: {
  run: Pick<RunSummary, "status" | "phase" | "cancelRequested">;
}) {
  const t = await getTranslations("syncs");
  const active = run.status === "queued" || run.status === "running" || run.status === "paused";
  return (
    <span className="inline-flex flex-col items-start gap-0.5">
      <Badge tone={tones[run.status]}>{t(`status.${run.status}`)}</Badge>
      {run.status === "running" && <span className="text-xs text-slate-500">{t(`phase.${run.phase}`)}</span>}
      {/* The Cancel button is gone once pressed: say that the run is on its way out. */}
      {active && run.cancelRequested && (
        <span className="text-xs text-amber-800">{t("cancelRequested")}</span>
      )}
    </span>
  );
}

/** Progress bar, counts, rate and ETA of a running run. */
export async function RunProgress({ run, now }: { run: RunSummary; now: number }) {
  const t = await getTranslations("syncs");
  const format = await getFormatter();
  if (run.status === "paused" && run.pausedUntil) {
    return (
      <p className="text-xs text-amber-800">
        {t("pausedUntil", {
          time: format.dateTime(run.pausedUntil, { dateStyle: "short", timeStyle: "short" }),
        })}
      </p>
    );
  }
  if (run.status !== "running") return null;
  const total = run.phase === "listing" ? (run.reportedTotal ?? 0) : run.toFetch;
  const done = run.phase === "listing" ? run.listed : run.fetched;
  const share = total > 0 ? Math.min(1, done / total) : run.phase === "finalising" ? 1 : 0;
  const elapsed = run.startedAt ? (now - run.startedAt.getTime()) / 1000 : 0;
  const rate = elapsed > 1 ? done / elapsed : 0;
  const eta = rate > 0 && total > done ? Math.round((total - done) / rate) : null;
  const label =
    run.phase === "listing"
      ? t("progressListing", {
          listed: format.number(run.listed),
          total: run.reportedTotal === null ? "?" : format.number(run.reportedTotal),
        })
      : run.phase === "profiles"
        ? t("progressProfiles", { fetched: format.number(run.fetched), total: format.number(run.toFetch) })
        : t("progressFinalising");
  return (
    <div className="min-w-48">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(share * 100)}
        className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className="h-full bg-emerald-500 transition-all"
          style={{ width: `${Math.round(share * 100)}%` }}
        />
      </div>
      <p className="mt-1 text-xs text-slate-600">
        {label}
        {rate > 0 && ` · ${t("rate", { rate: format.number(Math.round(rate)) })}`}
        {eta !== null && ` · ${t("eta", { time: formatSeconds(eta) })}`}
      </p>
    </div>
  );
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m ${seconds % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** A failed or paused run's error, explained in the reader's language. */
export async function runErrorText(
  run: Pick<RunSummary, "errorCategory" | "errorCode" | "errorMessage">,
): Promise<string | null> {
  if (!run.errorCategory) return null;
  if (run.errorCategory === "disk-full") return (await getTranslations("syncs"))("diskFull");
  if (run.errorCategory === "internal" || run.errorCode === null) return run.errorMessage;
  const locale = (await getLocale()) === "en" ? "en" : "zh-CN";
  const raw = run.errorMessage ?? "";
  return explainWeChatError({ errcode: run.errorCode, raw }, locale);
}
