import { getFormatter, getTranslations } from "next-intl/server";
import type { HourBucket } from "@/lib/push/queries";

/**
 * Events per hour as stacked bars (plain CSS, no chart library). Screen readers get the summary and
 * the same numbers as a table.
 */
export async function PushEventsChart({ buckets }: { buckets: HourBucket[] }) {
  const t = await getTranslations("push.events");
  const format = await getFormatter();
  const total = (b: HourBucket) => b.follows + b.unfollows + b.other;
  const max = Math.max(1, ...buckets.map(total));
  const sum = buckets.reduce((s, b) => s + total(b), 0);
  const hour = (at: number) => format.dateTime(at, { hour: "2-digit", minute: "2-digit" });
  const series = [
    { key: "follows", label: t("follows"), className: "bg-emerald-600" },
    { key: "unfollows", label: t("unfollows"), className: "bg-rose-500" },
    { key: "other", label: t("other"), className: "bg-slate-400" },
  ] as const;
  return (
    <figure>
      <figcaption className="mb-3 flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="font-semibold text-slate-900">{t("chartTitle")}</span>
        <span className="flex gap-3 text-slate-600">
          {series.map((s) => (
            <span key={s.key} className="flex items-center gap-1">
              <span aria-hidden className={`inline-block size-3 rounded-sm ${s.className}`} />
              {s.label}
            </span>
          ))}
        </span>
      </figcaption>
      <div aria-hidden className="flex h-40 items-end gap-1 border-b border-slate-300">
        {buckets.map((b) => (
          <div
            key={b.at}
            className="flex h-full flex-1 flex-col-reverse"
            title={`${hour(b.at)}: ${total(b)}`}
          >
            {series.map((s) =>
              b[s.key] > 0 ? (
                <div key={s.key} className={s.className} style={{ height: `${(b[s.key] / max) * 100}%` }} />
              ) : null,
            )}
          </div>
        ))}
      </div>
      <div aria-hidden className="mt-1 flex justify-between text-xs text-slate-500">
        <span>{hour(buckets[0]!.at)}</span>
        {/* With no events the scale means nothing: say so instead of "top: 1 per hour". */}
        <span>{sum === 0 ? t("chartSummary", { total: 0 }) : t("maxPerHour", { count: max })}</span>
        <span>{hour(buckets[buckets.length - 1]!.at)}</span>
      </div>
      <p className="sr-only">{t("chartSummary", { total: sum })}</p>
      <table className="sr-only">
        <caption>{t("chartTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("columns.hour")}</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {buckets
            .filter((b) => total(b) > 0)
            .map((b) => (
              <tr key={b.at}>
                <th scope="row">{hour(b.at)}</th>
                <td>{b.follows}</td>
                <td>{b.unfollows}</td>
                <td>{b.other}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </figure>
  );
}
