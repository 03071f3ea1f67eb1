"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { ChartFrame } from "./chart-frame";

export interface MatrixAccount {
  appid: string;
  name: string;
  followers: number;
  href: string;
}

export interface MatrixCell {
  a: string;
  b: string;
  people: number;
  shareOfSmaller: number | null;
  href: string;
}

const CELL = 76;
const LABEL = 132;
const HEAD = 40;

function shorten(name: string, max: number): string {
  return [...name].length > max ? `${[...name].slice(0, max - 1).join("")}…` : name;
}

/** White → emerald by the share of the smaller account the pair shares. */
function heat(share: number | null): string {
  const s = Math.max(0, Math.min(1, share ?? 0));
  const mix = (from: number, to: number) => Math.round(from + (to - from) * Math.sqrt(s));
  return `rgb(${mix(240, 4)}, ${mix(253, 120)}, ${mix(244, 87)})`;
}

/**
 * People shared by each pair of accounts, as a heat map (recharts has no matrix chart, so this one is
 * drawn as plain SVG; it still gets the same table view and downloads). Upper triangle: pairs; the
 * diagonal: each account's own followers.
 */
export function OverlapMatrix({ accounts, cells }: { accounts: MatrixAccount[]; cells: MatrixCell[] }) {
  const t = useTranslations("analytics.overlap");
  const format = useFormatter();
  const router = useRouter();
  const n = (v: number) => format.number(v);
  const pct = (v: number | null) =>
    v === null ? "—" : format.number(v, { style: "percent", maximumFractionDigits: 1 });
  const byPair = new Map(cells.map((c) => [`${c.a}|${c.b}`, c]));
  const names = new Map(accounts.map((a) => [a.appid, a.name]));
  const size = accounts.length;
  const width = LABEL + CELL * size + 8;
  const height = HEAD + CELL * size + 8;

  const link = (href: string, label: string, body: React.ReactNode) => (
    <a
      href={href}
      aria-label={label}
      onClick={(event) => {
        event.preventDefault();
        router.push(href);
      }}
      className="cursor-pointer hover:opacity-80"
    >
      <title>{label}</title>
      {body}
    </a>
  );

  return (
    <ChartFrame
      title={t("title")}
      note={t("note")}
      filename="overlap-matrix"
      columns={[
        { label: t("pair") },
        { label: t("people"), kind: "number" },
        { label: t("shareOfSmaller"), kind: "percent" },
      ]}
      rows={cells.map((c) => ({
        key: `${c.a}|${c.b}`,
        href: c.href,
        cells: [`${names.get(c.a)} × ${names.get(c.b)}`, c.people, c.shareOfSmaller],
      }))}
    >
      <div className="overflow-x-auto">
        {/* Shrinks to the card's width (down to 420 px, then scrolls); never grows past its natural size. */}
        <svg
          data-chart
          width="100%"
          viewBox={`0 0 ${width} ${height}`}
          style={{ maxWidth: width, minWidth: Math.min(width, 420) }}
          fontSize={12}
        >
          {accounts.map((a, i) => (
            <g key={a.appid}>
              <text x={LABEL + CELL * i + CELL / 2} y={HEAD - 12} textAnchor="middle" fill="#334155">
                <title>{a.name}</title>
                {shorten(a.name, 6)}
              </text>
              <text x={LABEL - 8} y={HEAD + CELL * i + CELL / 2 + 4} textAnchor="end" fill="#334155">
                <title>{a.name}</title>
                {shorten(a.name, 10)}
              </text>
            </g>
          ))}
          {accounts.map((row, i) =>
            accounts.map((col, j) => {
              const x = LABEL + CELL * j;
              const y = HEAD + CELL * i;
              if (j < i) return null;
              if (i === j)
                return (
                  <g key={`${row.appid}-self`}>
                    {link(
                      row.href,
                      t("selfLabel", { account: row.name, count: n(row.followers) }),
                      <>
                        <rect x={x + 2} y={y + 2} width={CELL - 4} height={CELL - 4} rx={4} fill="#e2e8f0" />
                        <text x={x + CELL / 2} y={y + CELL / 2 + 4} textAnchor="middle" fill="#475569">
                          {n(row.followers)}
                        </text>
                      </>,
                    )}
                  </g>
                );
              const cell = byPair.get(`${row.appid}|${col.appid}`);
              if (!cell) return null;
              const dark = (cell.shareOfSmaller ?? 0) > 0.35;
              return (
                <g key={`${row.appid}-${col.appid}`}>
                  {link(
                    cell.href,
                    t("cellLabel", {
                      a: row.name,
                      b: col.name,
                      count: n(cell.people),
                      share: pct(cell.shareOfSmaller),
                    }),
                    <>
                      <rect
                        x={x + 2}
                        y={y + 2}
                        width={CELL - 4}
                        height={CELL - 4}
                        rx={4}
                        fill={heat(cell.shareOfSmaller)}
                      />
                      <text
                        x={x + CELL / 2}
                        y={y + CELL / 2 - 2}
                        textAnchor="middle"
                        fontWeight={600}
                        fill={dark ? "#ffffff" : "#0f172a"}
                      >
                        {n(cell.people)}
                      </text>
                      <text
                        x={x + CELL / 2}
                        y={y + CELL / 2 + 14}
                        textAnchor="middle"
                        fontSize={11}
                        fill={dark ? "#ecfdf5" : "#475569"}
                      >
                        {pct(cell.shareOfSmaller)}
                      </text>
                    </>,
                  )}
                </g>
              );
            }),
          )}
        </svg>
      </div>
    </ChartFrame>
  );
}
