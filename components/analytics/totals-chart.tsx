"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "./chart-frame";
import { COLORS } from "./colors";
import { linkedShape } from "./linked-bar";

export interface Totals {
  summed: number;
  unique: number;
  duplicated: number;
  uniqueHref: string;
  duplicatedHref: string;
}

/** The summed follows as one bar: the real people, and the follows that repeat one of them. */
export function TotalsChart({ totals }: { totals: Totals }) {
  const t = useTranslations("analytics.totals");
  const format = useFormatter();
  const n = (v: number) => format.number(v);
  const compact = (v: number) => format.number(v, { notation: "compact" });
  // The summed follows split into people and repeats, above the people alone, on one scale.
  const data = [
    { label: t("summed"), ...totals },
    { label: t("unique"), ...totals, duplicated: 0 },
  ];
  const share = (v: number) => (totals.summed ? v / totals.summed : null);
  return (
    <ChartFrame
      title={t("title")}
      legend={[
        { label: t("unique"), color: COLORS.unique },
        { label: t("duplicated"), color: COLORS.duplicated },
      ]}
      note={t("note")}
      filename="real-vs-duplicated"
      columns={[
        { label: t("figure") },
        { label: t("count"), kind: "number" },
        { label: t("share"), kind: "percent" },
      ]}
      rows={
        totals.summed === 0
          ? []
          : [
              {
                key: "unique",
                href: totals.uniqueHref,
                cells: [t("unique"), totals.unique, share(totals.unique)],
              },
              {
                key: "duplicated",
                href: totals.duplicatedHref,
                cells: [t("duplicated"), totals.duplicated, share(totals.duplicated)],
              },
              { key: "summed", cells: [t("summed"), totals.summed, share(totals.summed)] },
            ]
      }
    >
      <BarChart
        responsive
        style={{ width: "100%", height: 220 }}
        data={data}
        layout="vertical"
        margin={{ left: 8, right: 24 }}
      >
        <CartesianGrid horizontal={false} stroke="#e2e8f0" />
        <XAxis type="number" tickFormatter={compact} fontSize={12} />
        <YAxis type="category" dataKey="label" width={96} fontSize={12} />
        <Tooltip formatter={(v) => n(Number(v))} />
        <Legend />
        <Bar
          dataKey="unique"
          name={t("unique")}
          stackId="follows"
          fill={COLORS.unique}
          isAnimationActive={false}
          shape={linkedShape<Totals>(
            (r) => r.uniqueHref,
            (r) => t("uniqueLabel", { count: n(r.unique) }),
          )}
        />
        <Bar
          dataKey="duplicated"
          name={t("duplicated")}
          stackId="follows"
          fill={COLORS.duplicated}
          isAnimationActive={false}
          shape={linkedShape<Totals>(
            (r) => r.duplicatedHref,
            (r) => t("duplicatedLabel", { count: n(r.duplicated) }),
          )}
        />
      </BarChart>
    </ChartFrame>
  );
}
