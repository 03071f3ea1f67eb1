import { SearchX } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { FollowBadges } from "@/components/people/follow-badges";
import { PersonHandle } from "@/components/people/person-handle";
import { Alert, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { requirePagePermission } from "@/lib/auth/session";
import { SEARCH_RESULT_LIMIT } from "@/lib/people/search";
import { searchPeople } from "@/lib/people/queries";

export async function generateMetadata() {
  return { title: (await getTranslations("search"))("title") };
}

export default async function SearchPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePagePermission("people:view");
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw) ?? "";
  const result = searchPeople(q);
  if (result.kind === "person")
    redirect(
      `/people/${result.personId}?found=${result.via}${result.appid ? `&in=${encodeURIComponent(result.appid)}` : ""}`,
    );
  const t = await getTranslations("search");
  const format = await getFormatter();
  const shown = [...q.trim()].slice(0, 80).join("");
  const day = (seconds: number | null) =>
    seconds
      ? format.dateTime(new Date(seconds * 1000), { dateStyle: "medium", timeZone: "Asia/Shanghai" })
      : "—";

  return (
    <>
      <PageHeader
        title={t("title")}
        description={result.kind === "empty" ? undefined : t("for", { q: shown })}
      />
      {result.kind === "empty" && (
        <EmptyState icon={<SearchX className="size-10" />} title={t("emptyTitle")} body={t("help")} />
      )}
      {result.kind === "tooLong" && <Alert tone="amber" title={t("tooLong", { max: result.max })} />}
      {result.kind === "unknownId" && (
        <EmptyState
          icon={<SearchX className="size-10" />}
          title={t("unknownId")}
          body={result.malformed ? t("malformedId") : t("unknownIdBody")}
        />
      )}
      {result.kind === "list" && (
        <div className="space-y-6">
          {result.tags.length > 0 && (
            <Card>
              <h2 className="mb-2 text-sm font-semibold text-slate-900">{t("tags")}</h2>
              <ul className="flex flex-wrap gap-2">
                {result.tags.map((tag) => (
                  <li key={`${tag.appid}:${tag.tagId}`}>
                    <Link
                      href={`/people?tag=${tag.appid}:${tag.tagId}&status=all`}
                      className="inline-flex rounded-full bg-sky-50 px-3 py-1 text-sm text-sky-800 ring-1 ring-sky-200 hover:bg-sky-100"
                    >
                      {t("tagLink", { account: tag.accountName, name: tag.name, count: tag.count })}
                    </Link>
                  </li>
                ))}
              </ul>
            </Card>
          )}
          {result.people.length > 0 ? (
            <>
              <h2 className="text-sm font-semibold text-slate-900">{t("remarks")}</h2>
              <Table
                caption={t("remarks")}
                head={
                  <>
                    <Th>{t("person")}</Th>
                    <Th>{t("accounts")}</Th>
                    <Th>{t("remark")}</Th>
                    <Th>{t("latest")}</Th>
                  </>
                }
              >
                {result.people.map((p) => (
                  <tr key={p.id} className="hover:bg-slate-50">
                    <Td>
                      <Link href={`/people/${p.id}`} className="text-emerald-800 hover:underline">
                        <PersonHandle
                          unionid={p.unionid}
                          openid={p.unionid ? undefined : p.follows[0]?.openid}
                        />
                      </Link>
                    </Td>
                    <Td>
                      <FollowBadges follows={p.follows} />
                    </Td>
                    <Td className="text-xs">
                      {[...new Set(p.follows.map((f) => f.remark).filter(Boolean))].join(" · ")}
                    </Td>
                    <Td className="whitespace-nowrap">{day(p.lastFollowAt)}</Td>
                  </tr>
                ))}
              </Table>
              {result.truncated && (
                <p className="text-sm text-slate-600">{t("truncated", { limit: SEARCH_RESULT_LIMIT })}</p>
              )}
            </>
          ) : (
            result.tags.length === 0 && (
              <EmptyState
                icon={<SearchX className="size-10" />}
                title={t("noMatch")}
                body={t("noMatchBody")}
              />
            )
          )}
        </div>
      )}
    </>
  );
}
