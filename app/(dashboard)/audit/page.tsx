import { Download, ScrollText } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { AUDIT_CATEGORIES, listAudit, type AuditCategory } from "@/lib/audit/queries";
import { requirePagePermission } from "@/lib/auth/session";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("audit") };
}

function formatDetails(details: Record<string, unknown> | null): string {
  if (!details) return "";
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(", ") : String(value)}`)
    .join(" · ");
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  await requirePagePermission("audit:view");
  const params = await searchParams;
  const category = AUDIT_CATEGORIES.find((c) => c === params.category) as AuditCategory | undefined;
  const beforeId = Number(params.before) > 0 ? Number(params.before) : undefined;
  const t = await getTranslations("audit");
  const format = await getFormatter();
  const { rows, nextBeforeId } = listAudit({ category, beforeId });
  const href = (next: { category?: string; before?: number }) => {
    const query = new URLSearchParams();
    if (next.category) query.set("category", next.category);
    if (next.before) query.set("before", String(next.before));
    const text = query.toString();
    return text ? `/audit?${text}` : "/audit";
  };

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <a
            href={`/api/export/audit${category ? `?category=${category}` : ""}`}
            className={buttonClass("secondary")}
            download
          >
            <Download aria-hidden className="size-4" />
            {t("export")}
          </a>
        }
      />
      <nav aria-label={t("filter")} className="mb-4 flex flex-wrap gap-2">
        {[undefined, ...AUDIT_CATEGORIES].map((c) => (
          <Link
            key={c ?? "all"}
            href={href({ category: c })}
            aria-current={c === category ? "page" : undefined}
            className={cn(
              "rounded-full px-3 py-1 text-sm ring-1",
              c === category
                ? "bg-emerald-600 text-white ring-emerald-600"
                : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50",
            )}
          >
            {t(`categories.${c ?? "all"}`)}
          </Link>
        ))}
      </nav>
      {rows.length === 0 ? (
        <EmptyState icon={<ScrollText className="size-10" />} title={t("empty")} />
      ) : (
        <Table
          caption={t("title")}
          head={
            <>
              <Th>{t("when")}</Th>
              <Th>{t("who")}</Th>
              <Th>{t("what")}</Th>
              <Th>{t("target")}</Th>
              <Th>{t("details")}</Th>
              <Th>{t("ip")}</Th>
            </>
          }
        >
          {rows.map((row) => (
            <tr key={row.id}>
              <Td className="whitespace-nowrap text-slate-600">
                <time dateTime={row.at.toISOString()}>
                  {format.dateTime(row.at, { dateStyle: "medium", timeStyle: "medium" })}
                </time>
              </Td>
              <Td>{row.actorEmail ?? t("system")}</Td>
              <Td className="whitespace-nowrap">
                {t.has(`actions.${row.action}` as never) ? t(`actions.${row.action}` as never) : row.action}
              </Td>
              <Td>{row.targetLabel}</Td>
              <Td className="max-w-md text-xs break-words text-slate-600">{formatDetails(row.details)}</Td>
              <Td className="font-mono text-xs text-slate-500">{row.ip}</Td>
            </tr>
          ))}
        </Table>
      )}
      <div className="mt-4 flex gap-3">
        {beforeId && (
          <Link href={href({ category })} className={buttonClass("secondary")}>
            {t("newest")}
          </Link>
        )}
        {nextBeforeId && (
          <Link href={href({ category, before: nextBeforeId })} className={buttonClass("secondary")}>
            {t("older")}
          </Link>
        )}
      </div>
    </>
  );
}
