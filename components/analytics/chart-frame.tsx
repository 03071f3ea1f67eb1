"use client";

import { Download, Image as ImageIcon, Table2, ChartColumn } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { useId, useRef, useState, type ReactNode } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { downloadCsv, downloadPng } from "./download";

export interface ChartColumnSpec {
  label: string;
  kind?: "text" | "number" | "percent";
}

export interface ChartRow {
  key: string;
  cells: (string | number | null)[];
  /** The filtered people list this row counts; the first cell links there. */
  href?: string;
}

/**
 * A chart with what every chart on the overview needs: a note saying what it counts, a table view of
 * the same numbers (for screen readers and for copying), and CSV and PNG downloads.
 */
export function ChartFrame({
  title,
  note,
  filename,
  columns,
  rows,
  children,
  toolbar,
  legend,
}: {
  title: string;
  note?: ReactNode;
  filename: string;
  columns: ChartColumnSpec[];
  rows: ChartRow[];
  children: ReactNode;
  toolbar?: ReactNode;
  /** The series' names and colours, drawn into the PNG (recharts' legend is HTML, not in the SVG). */
  legend?: { label: string; color: string }[];
}) {
  const t = useTranslations("analytics");
  const format = useFormatter();
  const [view, setView] = useState<"chart" | "table">("chart");
  const chart = useRef<HTMLDivElement>(null);
  const headingId = useId();

  const display = (value: string | number | null, kind: ChartColumnSpec["kind"]) => {
    if (value === null) return "—";
    if (typeof value === "string") return value;
    if (kind === "percent") return format.number(value, { style: "percent", maximumFractionDigits: 1 });
    return format.number(value);
  };

  const csv = () =>
    downloadCsv(
      `${filename}.csv`,
      columns.map((c) => c.label),
      rows.map((r) =>
        r.cells.map((v, i) =>
          columns[i]?.kind === "percent" && typeof v === "number" ? Number(v.toFixed(4)) : v,
        ),
      ),
    );

  const png = async () => {
    const svg = chart.current?.querySelector<SVGSVGElement>("svg[data-chart], .recharts-wrapper > svg");
    if (!svg) return toast.error(t("pngUnavailable"));
    try {
      await downloadPng(svg, title, `${filename}.png`, legend);
    } catch (error) {
      toast.error(t("pngFailed", { reason: (error as Error).message }));
    }
  };

  return (
    <section
      aria-labelledby={headingId}
      className="min-w-0 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200"
    >
      <div className="mb-3 flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 id={headingId} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          {note && <p className="mt-0.5 text-xs text-slate-500">{note}</p>}
        </div>
        <div className="flex flex-wrap items-center gap-1">
          {toolbar}
          <div role="group" aria-label={t("view")} className="flex rounded-md ring-1 ring-slate-300">
            <button
              type="button"
              aria-pressed={view === "chart"}
              onClick={() => setView("chart")}
              className="flex items-center gap-1 rounded-l-md px-2 py-1 text-xs aria-pressed:bg-slate-100 aria-pressed:font-semibold"
            >
              <ChartColumn aria-hidden className="size-3.5" />
              {t("chartView")}
            </button>
            <button
              type="button"
              aria-pressed={view === "table"}
              onClick={() => setView("table")}
              className="flex items-center gap-1 rounded-r-md px-2 py-1 text-xs aria-pressed:bg-slate-100 aria-pressed:font-semibold"
            >
              <Table2 aria-hidden className="size-3.5" />
              {t("tableView")}
            </button>
          </div>
          <Button variant="ghost" size="sm" onClick={csv} aria-label={t("downloadCsv", { chart: title })}>
            <Download aria-hidden className="size-3.5" />
            CSV
          </Button>
          <Button
            variant="ghost"
            size="sm"
            onClick={png}
            disabled={view !== "chart"}
            aria-label={t("downloadPng", { chart: title })}
          >
            <ImageIcon aria-hidden className="size-3.5" />
            PNG
          </Button>
        </div>
      </div>
      {rows.length === 0 ? (
        <p className="py-10 text-center text-sm text-slate-500">{t("noData")}</p>
      ) : view === "chart" ? (
        <div ref={chart} role="figure" aria-labelledby={headingId}>
          {children}
        </div>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-200 text-sm" aria-labelledby={headingId}>
            <thead className="bg-slate-50 text-left text-xs font-semibold text-slate-600">
              <tr>
                {columns.map((c) => (
                  <th
                    key={c.label}
                    scope="col"
                    className={`px-3 py-2 whitespace-nowrap ${c.kind && c.kind !== "text" ? "text-right" : ""}`}
                  >
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.key}>
                  {r.cells.map((v, i) => {
                    const kind = columns[i]?.kind;
                    const text = display(v, kind);
                    return i === 0 ? (
                      <th key={i} scope="row" className="px-3 py-2 text-left font-medium whitespace-nowrap">
                        {r.href ? (
                          <Link href={r.href} className="text-emerald-700 hover:underline">
                            {text}
                          </Link>
                        ) : (
                          text
                        )}
                      </th>
                    ) : (
                      <td
                        key={i}
                        className={`px-3 py-2 whitespace-nowrap ${kind && kind !== "text" ? "text-right tabular-nums" : ""}`}
                      >
                        {text}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
