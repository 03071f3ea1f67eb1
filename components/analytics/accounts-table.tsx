import { getFormatter, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import type { Overview } from "@/lib/analytics/overview";

/** Per account: synced followers against WeChat's own total, UnionID gaps and sync freshness. */
export async function AccountsTable({ overview, now }: { overview: Overview; now: number }) {
  const t = await getTranslations("overview");
  const format = await getFormatter();
  const n = (v: number) => format.number(v);
  return (
    <>
      <Table
        caption={t("accountsTitle", { count: overview.accounts.length })}
        head={
          <>
            <Th>{t("columns.account")}</Th>
            <Th className="text-right">{t("columns.followers")}</Th>
            <Th className="text-right">{t("columns.reported")}</Th>
            <Th className="text-right">{t("columns.difference")}</Th>
            <Th className="text-right">{t("columns.noUnionid")}</Th>
            <Th>{t("columns.lastSync")}</Th>
            <Th>{t("columns.openPlatform")}</Th>
          </>
        }
      >
        {overview.accounts.map((a) => {
          const synced = a.lastSyncAt !== null || a.followers > 0;
          const difference = synced && a.reportedTotal !== null ? a.followers - a.reportedTotal : null;
          return (
            <tr key={a.id}>
              <Td className="font-medium whitespace-nowrap">
                {a.name}
                {a.disabled && (
                  <span className="ml-2">
                    <Badge>{t("disabled")}</Badge>
                  </span>
                )}
              </Td>
              <Td className="text-right tabular-nums">{synced ? n(a.followers) : "—"}</Td>
              <Td className="text-right tabular-nums">
                {a.reportedTotal === null ? "—" : n(a.reportedTotal)}
              </Td>
              <Td className="text-right whitespace-nowrap tabular-nums">
                {difference === null ? (
                  "—"
                ) : difference === 0 ? (
                  <span className="text-slate-500">0</span>
                ) : (
                  <span title={t("differenceNote")}>
                    <Badge tone="amber">
                      {difference > 0 ? "+" : "−"}
                      {n(Math.abs(difference))}
                    </Badge>
                  </span>
                )}
              </Td>
              <Td className="text-right tabular-nums">{synced ? n(a.withoutUnionid) : "—"}</Td>
              <Td>
                <span className="flex flex-wrap items-center gap-1 whitespace-nowrap">
                  {a.lastSyncAt !== null ? (
                    <time dateTime={new Date(a.lastSyncAt).toISOString()}>
                      {format.relativeTime(new Date(a.lastSyncAt), new Date(now))}
                    </time>
                  ) : (
                    <Badge>{t("neverSynced")}</Badge>
                  )}
                  {a.stale && <Badge tone="amber">{t("staleBadge")}</Badge>}
                  {a.syncing && <Badge tone="blue">{t("syncingBadge")}</Badge>}
                </span>
              </Td>
              <Td>
                {a.bound ? (
                  <Badge tone="green">{t("bound")}</Badge>
                ) : (
                  <Badge tone="amber">{t("unbound")}</Badge>
                )}
              </Td>
            </tr>
          );
        })}
      </Table>
      <p className="mt-2 text-xs text-slate-500">{t("differenceNote")}</p>
    </>
  );
}
