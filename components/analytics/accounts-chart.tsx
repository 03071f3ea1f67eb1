"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "./chart-frame";
import { linkedShape } from "./linked-bar";
import { COLORS } from "./colors";

export interface AccountBar {
  appid: string;
  name: string;
  followers: number;
  exclusive: number;
  shared: number;
  exclusiveHref: string;
  sharedHref: string;
}

/** Per account, its followers split into people who follow only it and people who follow others too. */
export function AccountsChart({ data }: { data: AccountBar[] }) {
  const t = useTranslations("analytics.accounts");
  const format = useFormatter();
  const n = (v: number) => format.number(v);
  const compact = (v: number) => format.number(v, { notation: "compact" });
  const exclusiveShape = linkedShape<AccountBar>(
    (r) => r.exclusiveHref,
    (r) => t("exclusiveLabel", { account: r.name, count: n(r.exclusive) }),
  );
  const sharedShape = linkedShape<AccountBar>(
    (r) => r.sharedHref,
    (r) => t("sharedLabel", { account: r.name, count: n(r.shared) }),
  );
  return (
    <ChartFrame
      title={t("title")}
      legend={[
        { label: t("exclusive"), color: COLORS.exclusive },
        { label: t("shared"), color: COLORS.shared },
      ]}
      note={t("note")}
      filename="accounts-exclusive-shared"
      columns={[
        { label: t("account") },
        { label: t("exclusive"), kind: "number" },
        { label: t("shared"), kind: "number" },
        { label: t("followers"), kind: "number" },
        { label: t("sharedShare"), kind: "percent" },
      ]}
      rows={data.map((r) => ({
        key: r.appid,
        href: r.exclusiveHref,
        cells: [r.name, r.exclusive, r.shared, r.followers, r.followers ? r.shared / r.followers : null],
      }))}
    >
      <BarChart
        responsive
        style={{ width: "100%", height: Math.max(160, 48 * data.length + 60) }}
        data={data}
        layout="vertical"
        margin={{ left: 8, right: 24 }}
      >
        <CartesianGrid horizontal={false} stroke="#e2e8f0" />
        <XAxis type="number" tickFormatter={compact} fontSize={12} />
        <YAxis type="category" dataKey="name" width={120} fontSize={12} />
        <Tooltip formatter={(v) => n(Number(v))} />
        <Legend />
        <Bar
          dataKey="exclusive"
          name={t("exclusive")}
          stackId="followers"
          fill={COLORS.exclusive}
          isAnimationActive={false}
          shape={exclusiveShape}
        />
        <Bar
          dataKey="shared"
          name={t("shared")}
          stackId="followers"
          fill={COLORS.shared}
          isAnimationActive={false}
          shape={sharedShape}
        />
      </BarChart>
    </ChartFrame>
  );
}
