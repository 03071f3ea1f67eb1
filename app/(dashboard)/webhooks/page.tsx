import { Webhook } from "lucide-react";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { CreateWebhook } from "@/components/webhooks/create-webhook";
import { DeleteWebhook } from "@/components/webhooks/delete-webhook";
import { requirePagePermission } from "@/lib/auth/session";
import { listWebhooks } from "@/lib/webhooks/queries";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("webhooks") };
}

export default async function WebhooksPage() {
  await requirePagePermission("webhooks:manage");
  const t = await getTranslations("webhooks");
  const format = await getFormatter();
  const hooks = listWebhooks();
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={<CreateWebhook />} />
      <p className="mb-4 rounded-md bg-sky-50 p-3 text-sm text-sky-900 ring-1 ring-sky-200">
        {t("firstSyncNote")}
      </p>
      {hooks.length === 0 ? (
        <EmptyState icon={<Webhook className="size-8" />} title={t("empty")} body={t("emptyBody")} />
      ) : (
        <Table
          caption={t("title")}
          head={
            <>
              <Th>{t("url")}</Th>
              <Th>{t("events")}</Th>
              <Th>{t("createdBy")}</Th>
              <Th>{t("lastDelivery")}</Th>
              <Th>{t("pending")}</Th>
              <Th>
                <span className="sr-only">{t("actions")}</span>
              </Th>
            </>
          }
        >
          {hooks.map((hook) => (
            <tr key={hook.id}>
              <Td className="max-w-xs font-medium break-all">
                <Link href={`/webhooks/${hook.id}`} className="text-emerald-700 underline">
                  {hook.url}
                </Link>
              </Td>
              <Td>
                <div className="flex flex-wrap gap-1">
                  {hook.events.map((e) => (
                    <Badge key={e} tone="blue">
                      {e}
                    </Badge>
                  ))}
                </div>
              </Td>
              <Td className="text-slate-600">
                {hook.createdByEmail ?? t("cli")}
                <span className="block text-xs">
                  {format.dateTime(hook.createdAt, { dateStyle: "medium", timeStyle: "short" })}
                </span>
              </Td>
              <Td className="whitespace-nowrap">
                {hook.lastDelivery ? (
                  <>
                    <Badge
                      tone={
                        hook.lastDelivery.status === "delivered"
                          ? "green"
                          : hook.lastDelivery.status === "failed"
                            ? "red"
                            : "amber"
                      }
                    >
                      {t(`status.${hook.lastDelivery.status}` as never)}
                      {hook.lastDelivery.httpStatus ? ` · ${hook.lastDelivery.httpStatus}` : ""}
                    </Badge>
                    {hook.lastDelivery.at && (
                      <span className="block text-xs text-slate-600">
                        {format.relativeTime(hook.lastDelivery.at)}
                      </span>
                    )}
                  </>
                ) : (
                  <span className="text-slate-500">{t("never")}</span>
                )}
              </Td>
              <Td className="tabular-nums">{format.number(hook.pending)}</Td>
              <Td>
                <div className="flex gap-2">
                  <Link
                    href={`/webhooks/${hook.id}`}
                    className="text-sm font-medium text-emerald-700 underline"
                  >
                    {t("log")}
                  </Link>
                  <DeleteWebhook id={hook.id} url={hook.url} />
                </div>
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
