"use client";

import { useFormatter, useTranslations } from "next-intl";
import Link from "next/link";
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { cn } from "@/components/ui/cn";
import { ChartFrame } from "./chart-frame";
import { COLORS } from "./colors";

export interface TrendPoint {
  day: string;
  summedFollowers: number;
  uniquePeople: number;
  withoutUnionid: number;
}

export interface TrendRange {
  from: string;
  to: string;
  presets: { days: number; href: string; active: boolean }[];
}

/** Unique people and summed follows per day, from the snapshot each finished sync writes. */
export function TrendChart({ points, range }: { points: TrendPoint[]; range: TrendRange }) {
  const t = useTranslations("analytics.trend");
  const format = useFormatter();
  const n = (v: number) => format.number(v);
  const compact = (v: number) => format.number(v, { notation: "compact" });
  const toolbar = (
    <div className="flex flex-wrap items-center gap-1 text-xs">
      {range.presets.map((p) => (
        <Link
          key={p.days}
          href={p.href}
          scroll={false}
          aria-current={p.active ? "true" : undefined}
          className={cn(
            "rounded px-1.5 py-1 ring-1 ring-slate-200",
            p.active ? "bg-slate-800 text-white" : "hover:bg-slate-100",
          )}
        >
          {t("lastDays", { days: p.days })}
        </Link>
      ))}
      <form method="get" className="flex items-center gap-1">
        <label className="sr-only" htmlFor="trend-from">
          {t("from")}
        </label>
        <input
          id="trend-from"
          type="date"
          name="from"
          defaultValue={range.from}
          className="rounded px-1 py-0.5 ring-1 ring-slate-300"
        />
        <span aria-hidden>–</span>
        <label className="sr-only" htmlFor="trend-to">
          {t("to")}
        </label>
        <input
          id="trend-to"
          type="date"
          name="to"
          defaultValue={range.to}
          className="rounded px-1 py-0.5 ring-1 ring-slate-300"
        />
        <button type="submit" className="rounded px-1.5 py-1 ring-1 ring-slate-300 hover:bg-slate-100">
          {t("apply")}
        </button>
      </form>
    </div>
  );
  return (
    <ChartFrame
      title={t("title")}
      legend={[
        { label: t("summed"), color: COLORS.summed },
        { label: t("unique"), color: COLORS.unique },
      ]}
      note={t("note", { from: range.from, to: range.to })}
      filename={`audience-trend-${range.from}-${range.to}`}
      toolbar={toolbar}
      columns={[
        { label: t("day") },
        { label: t("unique"), kind: "number" },
        { label: t("summed"), kind: "number" },
        { label: t("duplicated"), kind: "number" },
        { label: t("noUnionid"), kind: "number" },
      ]}
      rows={points.map((p) => ({
        key: p.day,
        cells: [
          p.day,
          p.uniquePeople,
          p.summedFollowers,
          p.summedFollowers - p.uniquePeople,
          p.withoutUnionid,
        ],
      }))}
    >
      <LineChart responsive style={{ width: "100%", height: 260 }} data={points} margin={{ right: 16 }}>
        <CartesianGrid stroke="#e2e8f0" />
        <XAxis dataKey="day" fontSize={12} />
        <YAxis tickFormatter={compact} fontSize={12} width={64} />
        <Tooltip formatter={(v) => n(Number(v))} />
        <Legend />
        <Line
          dataKey="summedFollowers"
          name={t("summed")}
          stroke={COLORS.summed}
          strokeWidth={2}
          dot={points.length < 40}
          isAnimationActive={false}
        />
        <Line
          dataKey="uniquePeople"
          name={t("unique")}
          stroke={COLORS.unique}
          strokeWidth={2}
          dot={points.length < 40}
          isAnimationActive={false}
        />
      </LineChart>
    </ChartFrame>
  );
}
