import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { accountHealth } from "@/lib/accounts/health";
import { connectionState } from "@/lib/accounts/queries";
import { ConnectionBadge } from "./connection-badge";
import { TestConnectionButton } from "./test-connection-button";

export async function HealthPanel({ accountId }: { accountId: string }) {
  const t = await getTranslations("accounts.connection");
  const format = await getFormatter();
  const locale = (await getLocale()) === "en" ? "en" : "zh-CN";
  const health = accountHealth(accountId, locale);
  if (!health) return null;
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "medium" });
  return (
    <Card>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-3">
          <h2 className="text-base font-semibold">{t("title")}</h2>
          <ConnectionBadge
            state={connectionState({ lastOkAt: health.lastOkAt, lastErrorAt: health.lastError?.at ?? null })}
          />
        </div>
        <TestConnectionButton accountId={accountId} />
      </div>
      <dl className="mt-4 grid gap-4 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-slate-500">{t("lastOk")}</dt>
          <dd className="mt-1">{health.lastOkAt ? when(health.lastOkAt) : t("never")}</dd>
        </div>
        <div>
          <dt className="text-slate-500">{t("lastError")}</dt>
          <dd className="mt-1">
            {health.lastError ? (
              <>
                <span className="block text-red-700">{health.lastError.message}</span>
                <span className="text-xs text-slate-500">
                  {when(health.lastError.at)} · {health.lastError.category} · errcode{" "}
                  {health.lastError.errcode}
                </span>
              </>
            ) : (
              t("noErrors")
            )}
          </dd>
        </div>
      </dl>
      <h3 className="mt-6 mb-2 text-sm font-semibold">{t("usageTitle", { day: health.day })}</h3>
      {health.usage.length === 0 ? (
        <p className="text-sm text-slate-600">{t("usageEmpty")}</p>
      ) : (
        <Table
          caption={t("usageTitle", { day: health.day })}
          head={
            <>
              <Th>{t("path")}</Th>
              <Th>{t("calls")}</Th>
              <Th>{t("errors")}</Th>
              <Th>{t("limit")}</Th>
              <Th>{t("remote")}</Th>
            </>
          }
        >
          {health.usage.map((u) => (
            <tr key={u.path}>
              <Td className="font-mono text-xs">{u.path}</Td>
              <Td>{format.number(u.calls)}</Td>
              <Td>{format.number(u.errors)}</Td>
              <Td>{u.limit === null ? "—" : format.number(u.limit)}</Td>
              <Td>
                {u.remote ? `${format.number(u.remote.used)} / ${format.number(u.remote.remain)}` : "—"}
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}
