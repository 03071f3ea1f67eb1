"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, LabelList, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "./chart-frame";
import { COLORS } from "./colors";
import { linkedShape } from "./linked-bar";

export interface HistogramBar {
  accounts: number;
  people: number;
  href: string;
}

/** People by how many of the accounts they follow. */
export function HistogramChart({ data }: { data: HistogramBar[] }) {
  const t = useTranslations("analytics.histogram");
  const format = useFormatter();
  const n = (v: number) => format.number(v);
  const compact = (v: number) => format.number(v, { notation: "compact" });
  const total = data.reduce((s, d) => s + d.people, 0);
  const rows = data.map((d) => ({ ...d, label: t("bucket", { count: d.accounts }) }));
  return (
    <ChartFrame
      title={t("title")}
      note={t("note")}
      filename="people-by-accounts-followed"
      columns={[
        { label: t("accounts") },
        { label: t("people"), kind: "number" },
        { label: t("share"), kind: "percent" },
      ]}
      rows={rows.map((d) => ({
        key: String(d.accounts),
        href: d.href,
        cells: [d.label, d.people, total ? d.people / total : null],
      }))}
    >
      <BarChart responsive style={{ width: "100%", height: 260 }} data={rows} margin={{ top: 20, right: 16 }}>
        <CartesianGrid vertical={false} stroke="#e2e8f0" />
        <XAxis dataKey="label" fontSize={12} />
        <YAxis tickFormatter={compact} fontSize={12} width={64} />
        <Tooltip formatter={(v) => n(Number(v))} />
        <Bar
          dataKey="people"
          name={t("people")}
          fill={COLORS.histogram}
          isAnimationActive={false}
          shape={linkedShape<(typeof rows)[number]>(
            (r) => r.href,
            (r) => t("barLabel", { bucket: r.label, count: n(r.people) }),
          )}
        >
          <LabelList dataKey="people" position="top" formatter={(v) => n(Number(v))} fontSize={12} />
        </Bar>
      </BarChart>
    </ChartFrame>
  );
}
