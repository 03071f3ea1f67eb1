import { KeyRound, Plus } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Badge, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { ConnectionBadge } from "@/components/accounts/connection-badge";
import { connectionState, listAccounts } from "@/lib/accounts/queries";
import { requirePagePermission } from "@/lib/auth/session";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("accounts") };
}

export default async function AccountsPage() {
  await requirePagePermission("accounts:manage");
  const t = await getTranslations("accounts");
  const format = await getFormatter();
  const accounts = listAccounts();
  const addButton = (
    <Link href="/accounts/new" className={buttonClass()}>
      <Plus aria-hidden className="size-4" />
      {t("add")}
    </Link>
  );
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={accounts.length > 0 && addButton}
      />
      {accounts.length === 0 ? (
        <EmptyState
          icon={<KeyRound className="size-10" />}
          title={t("emptyTitle")}
          body={t("emptyBody")}
          action={addButton}
        />
      ) : (
        <Table
          caption={t("title")}
          head={
            <>
              <Th>{t("fields.name")}</Th>
              <Th>{t("fields.appid")}</Th>
              <Th>{t("fields.originalId")}</Th>
              <Th>{t("openPlatform")}</Th>
              <Th>{t("push")}</Th>
              <Th>{t("status")}</Th>
              <Th>{t("connection.title")}</Th>
              <Th>{t("credentialsUpdated")}</Th>
            </>
          }
        >
          {accounts.map((account) => (
            <tr key={account.id} className="hover:bg-slate-50">
              <Td>
                <Link
                  href={`/accounts/${account.id}`}
                  className="font-medium text-emerald-700 hover:underline"
                >
                  {account.name}
                </Link>
              </Td>
              <Td className="font-mono text-xs">{account.appid}</Td>
              <Td className="font-mono text-xs">{account.originalId}</Td>
              <Td>
                {account.boundToOpenPlatform ? (
                  <Badge tone="green">{t("bound")}</Badge>
                ) : (
                  <Badge tone="amber">{t("unbound")}</Badge>
                )}
              </Td>
              <Td>
                {account.hasAesKey ? (
                  <Badge tone="blue">{t("pushSafe")}</Badge>
                ) : account.hasPushToken ? (
                  <Badge tone="blue">{t("pushPlain")}</Badge>
                ) : (
                  <Badge>{t("pushOff")}</Badge>
                )}
              </Td>
              <Td>
                {account.disabledAt ? (
                  <Badge tone="red">{t("disabled")}</Badge>
                ) : (
                  <Badge tone="green">{t("enabled")}</Badge>
                )}
              </Td>
              <Td>
                <ConnectionBadge state={connectionState(account)} />
              </Td>
              <Td className="whitespace-nowrap text-slate-600">
                {format.dateTime(account.secretsUpdatedAt, { dateStyle: "medium", timeStyle: "short" })}
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
