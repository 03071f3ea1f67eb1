import { BookOpen, KeyRound } from "lucide-react";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { CreateApiKey } from "@/components/apikeys/create-api-key";
import { RevokeApiKey } from "@/components/apikeys/revoke-api-key";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { listApiKeys, unknownKeyRefusalsToday } from "@/lib/apikeys/queries";
import { flushApiUsage } from "@/lib/apiv1/handler";
import { requirePagePermission } from "@/lib/auth/session";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("apiKeys") };
}

export default async function ApiKeysPage() {
  await requirePagePermission("apikeys:manage");
  const t = await getTranslations("apikeys");
  const format = await getFormatter();
  flushApiUsage();
  const keys = listApiKeys();
  const unknown = unknownKeyRefusalsToday();
  const when = (ms: number | null) => (ms === null ? t("never") : format.relativeTime(ms));
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <>
            <Link href="/api-keys/docs" className={buttonClass("secondary")}>
              <BookOpen aria-hidden className="size-4" />
              {t("docs")}
            </Link>
            <CreateApiKey />
          </>
        }
      />
      {keys.length === 0 ? (
        <EmptyState icon={<KeyRound className="size-8" />} title={t("empty")} body={t("emptyBody")} />
      ) : (
        <Table
          caption={t("title")}
          head={
            <>
              <Th>{t("name")}</Th>
              <Th>{t("key")}</Th>
              <Th>{t("scopes")}</Th>
              <Th>{t("createdBy")}</Th>
              <Th>{t("lastUsed")}</Th>
              <Th>{t("requestsToday")}</Th>
              <Th>{t("status")}</Th>
              <Th>
                <span className="sr-only">{t("actions")}</span>
              </Th>
            </>
          }
        >
          {keys.map((key) => (
            <tr key={key.id}>
              <Td className="font-medium">{key.name}</Td>
              <Td>
                <code className="font-mono text-xs">{key.prefix}…</code>
              </Td>
              <Td>
                <div className="flex flex-wrap gap-1">
                  {key.scopes.map((s) => (
                    <Badge key={s} tone="blue">
                      {s}
                    </Badge>
                  ))}
                </div>
              </Td>
              <Td className="text-slate-600">
                {key.createdByEmail ?? t("cli")}
                <span className="block text-xs">
                  {format.dateTime(key.createdAt, { dateStyle: "medium", timeStyle: "short" })}
                </span>
              </Td>
              <Td className="whitespace-nowrap text-slate-600">{when(key.lastUsedAt)}</Td>
              <Td className="whitespace-nowrap tabular-nums">
                {format.number(key.requestsToday)}
                {key.refusedToday > 0 && (
                  <span className="block text-xs text-red-700">
                    {t("refused", { count: key.refusedToday })}
                  </span>
                )}
              </Td>
              <Td>
                {key.revokedAt ? (
                  <Badge tone="red">{t("revoked")}</Badge>
                ) : (
                  <Badge tone="green">{t("active")}</Badge>
                )}
              </Td>
              <Td>{!key.revokedAt && <RevokeApiKey id={key.id} name={key.name} />}</Td>
            </tr>
          ))}
        </Table>
      )}
      {unknown > 0 && (
        <p className="mt-3 text-sm text-slate-600">{t("unknownRefused", { count: unknown })}</p>
      )}
    </>
  );
}
