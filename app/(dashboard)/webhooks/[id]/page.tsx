import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { RedeliverButton } from "@/components/webhooks/redeliver-button";
import { requirePagePermission } from "@/lib/auth/session";
import { deliveryLog, getWebhook } from "@/lib/webhooks/queries";

export async function generateMetadata() {
  return { title: (await getTranslations("webhooks"))("logTitle") };
}

/** An endpoint's delivery log: each event's status, attempts, answer and latency, with redeliver. */
export default async function WebhookLogPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ before?: string }>;
}) {
  await requirePagePermission("webhooks:manage");
  const t = await getTranslations("webhooks");
  const format = await getFormatter();
  const id = Number((await params).id);
  const hook = Number.isInteger(id) && id > 0 ? getWebhook(id) : null;
  if (!hook) notFound();
  const before = Number((await searchParams).before);
  const { rows, nextBeforeId } = deliveryLog(
    hook.id,
    Number.isInteger(before) && before > 0 ? before : undefined,
  );
  const tone = { delivered: "green", failed: "red", pending: "amber" } as const;
  return (
    <>
      <PageHeader title={t("logTitle")} description={hook.url} />
      {rows.length === 0 ? (
        <EmptyState title={t("logEmpty")} body={t("firstSyncNote")} />
      ) : (
        <Table
          caption={t("logTitle")}
          head={
            <>
              <Th>{t("event")}</Th>
              <Th>{t("statusLabel")}</Th>
              <Th>{t("attempts")}</Th>
              <Th>{t("response")}</Th>
              <Th>{t("latency")}</Th>
              <Th>{t("lastAttempt")}</Th>
              <Th>
                <span className="sr-only">{t("actions")}</span>
              </Th>
            </>
          }
        >
          {rows.map((row) => (
            <tr key={row.id}>
              <Td>
                <code className="font-mono text-xs">{row.type}</code>
                <span className="block font-mono text-xs text-slate-500">{row.msgId}</span>
              </Td>
              <Td>
                <Badge tone={tone[row.status]}>{t(`status.${row.status}`)}</Badge>
                {row.status === "pending" && row.attempts > 0 && (
                  <span className="block text-xs text-slate-600">
                    {t("nextRetry", { when: format.relativeTime(row.nextAttemptAt) })}
                  </span>
                )}
              </Td>
              <Td className="tabular-nums">{row.attempts}</Td>
              <Td className="max-w-xs text-xs">
                {row.lastStatus ?? "—"}
                {row.lastError && <span className="block text-red-700">{row.lastError}</span>}
              </Td>
              <Td className="tabular-nums">{row.lastLatencyMs === null ? "—" : `${row.lastLatencyMs} ms`}</Td>
              <Td className="whitespace-nowrap text-slate-600">
                {row.lastAttemptAt ? format.relativeTime(row.lastAttemptAt) : "—"}
              </Td>
              <Td>
                {row.status !== "pending" && (
                  <RedeliverButton endpointId={hook.id} deliveryId={row.id} msgId={row.msgId} />
                )}
              </Td>
            </tr>
          ))}
        </Table>
      )}
      <nav aria-label={t("pages")} className="mt-4 flex gap-4 text-sm">
        {before > 0 && (
          <Link href={`/webhooks/${hook.id}`} className="text-emerald-700 underline">
            {t("newest")}
          </Link>
        )}
        {nextBeforeId && (
          <Link href={`/webhooks/${hook.id}?before=${nextBeforeId}`} className="text-emerald-700 underline">
            {t("older")}
          </Link>
        )}
      </nav>
    </>
  );
}
