import { Download, Users } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { FilterForm } from "@/components/people/filter-form";
import { FollowBadges } from "@/components/people/follow-badges";
import { PersonHandle } from "@/components/people/person-handle";
import { buttonClass } from "@/components/ui/button";
import { Alert, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { can } from "@/lib/auth/roles";
import { requirePagePermission } from "@/lib/auth/session";
import { isCanonical, parsePeopleParams, peopleQuery, type PeopleFilter } from "@/lib/people/filters";
import { accountRefs, anyPeople, countPeople, listPeople, tagOptions } from "@/lib/people/queries";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("people") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function PeoplePage({ searchParams }: { searchParams: SearchParams }) {
  const staff = await requirePagePermission("people:view");
  const params = await searchParams;
  const { filter, after, before, ignored } = parsePeopleParams(params);
  if (!isCanonical(params))
    redirect(`/people${peopleQuery(filter, { after: after ?? undefined, before: before ?? undefined })}`);
  const t = await getTranslations("people");
  const format = await getFormatter();
  const accounts = accountRefs();
  const synced = anyPeople();

  if (!synced) {
    return (
      <>
        <PageHeader title={t("title")} description={t("description")} />
        <EmptyState
          icon={<Users className="size-10" />}
          title={t("emptyTitle")}
          body={
            accounts.length === 0 ? t("emptyNoAccounts") : t("emptyNotSynced", { count: accounts.length })
          }
        />
      </>
    );
  }

  const page = listPeople(filter, { after, before }, accounts);
  const query = peopleQuery(filter);
  const day = (seconds: number | null) =>
    seconds
      ? format.dateTime(new Date(seconds * 1000), { dateStyle: "medium", timeZone: "Asia/Shanghai" })
      : "—";

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <>
            {can(staff.role, "people:export-counts") && (
              <a href={`/api/export/people-counts${query}`} className={buttonClass("secondary")} download>
                <Download aria-hidden className="size-4" />
                {t("exportCounts")}
              </a>
            )}
            {can(staff.role, "people:export") && (
              <a href={`/api/export/people${query}`} className={buttonClass("secondary")} download>
                <Download aria-hidden className="size-4" />
                {t("exportPeople")}
              </a>
            )}
          </>
        }
      />
      <FilterForm filter={filter} accounts={accounts} tags={tagOptions()} />
      {(ignored.length > 0 || page.plan.unknownAccounts.length > 0) && (
        <div className="mb-4">
          <Alert tone="amber" title={t("filters.problem")}>
            {ignored.length > 0 && <p>{t("filters.ignored", { names: ignored.join(", ") })}</p>}
            {page.plan.unknownAccounts.length > 0 && (
              <p>{t("filters.unknownAccounts", { appids: page.plan.unknownAccounts.join(", ") })}</p>
            )}
          </Alert>
        </div>
      )}
      <p className="mb-3 text-sm text-slate-700" aria-live="polite">
        {page.plan.knownCount !== null ? (
          <MatchCount count={page.plan.knownCount} />
        ) : (
          <Suspense fallback={<span className="text-slate-500">{t("list.counting")}</span>}>
            <SlowCount filter={filter} />
          </Suspense>
        )}
      </p>
      {page.rows.length === 0 ? (
        <EmptyState
          icon={<Users className="size-10" />}
          title={t("list.noMatchTitle")}
          body={t("list.noMatchBody")}
          action={
            <Link href="/people" className={buttonClass("secondary")}>
              {t("filters.reset")}
            </Link>
          }
        />
      ) : (
        <Table
          caption={t("title")}
          head={
            <>
              <Th>{t("list.person")}</Th>
              <Th>{t("list.accounts")}</Th>
              <Th className="text-right">{t("list.count")}</Th>
              <Th>{t("list.first")}</Th>
              <Th>{t("list.latest")}</Th>
              <Th>{t("list.remarks")}</Th>
              <Th>{t("list.tags")}</Th>
            </>
          }
        >
          {page.rows.map((p) => {
            const remarks = [...new Set(p.follows.map((f) => f.remark).filter(Boolean))];
            const tags = [...new Set(p.follows.flatMap((f) => f.tags))];
            return (
              <tr key={p.id} className="hover:bg-slate-50">
                <Td className="max-w-64">
                  <Link
                    href={`/people/${p.id}`}
                    className="text-emerald-800 underline-offset-2 hover:underline"
                    aria-label={t("list.open", { id: p.unionid ?? p.follows[0]?.openid ?? String(p.id) })}
                  >
                    <PersonHandle unionid={p.unionid} openid={p.unionid ? undefined : p.follows[0]?.openid} />
                  </Link>
                </Td>
                <Td>
                  <FollowBadges follows={p.follows} />
                </Td>
                <Td className="text-right tabular-nums">{p.accountsCount}</Td>
                <Td className="whitespace-nowrap">{day(p.firstFollowAt)}</Td>
                <Td className="whitespace-nowrap">{day(p.lastFollowAt)}</Td>
                <Td className="max-w-48 text-xs break-words">{remarks.join(" · ")}</Td>
                <Td className="max-w-48 text-xs break-words">{tags.join(" · ")}</Td>
              </tr>
            );
          })}
        </Table>
      )}
      <nav aria-label={t("list.pages")} className="mt-4 flex flex-wrap gap-3">
        {(after || before) && (
          <Link href={`/people${query}`} className={buttonClass("secondary")}>
            {t("list.firstPage")}
          </Link>
        )}
        {page.prev && (
          <Link
            href={`/people${peopleQuery(filter, { before: page.prev })}`}
            className={buttonClass("secondary")}
          >
            {t("list.previous")}
          </Link>
        )}
        {page.next && (
          <Link
            href={`/people${peopleQuery(filter, { after: page.next })}`}
            className={buttonClass("secondary")}
          >
            {t("list.next")}
          </Link>
        )}
      </nav>
    </>
  );
}

async function MatchCount({ count }: { count: number }) {
  const t = await getTranslations("people.list");
  return <span data-testid="people-count">{t("matching", { count })}</span>;
}

/** Counting rows (date, scene or tag filters) can take a moment on millions of people: streamed in. */
async function SlowCount({ filter }: { filter: PeopleFilter }) {
  // Let the page around it flush first: the count itself is synchronous.
  await new Promise((resolve) => setImmediate(resolve));
  return <MatchCount count={countPeople(filter)} />;
}
