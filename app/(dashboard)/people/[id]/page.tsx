import { ArrowLeft } from "lucide-react";
import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CopyButton } from "@/components/people/copy-button";
import { PersonHandle } from "@/components/people/person-handle";
import { RemarkForm } from "@/components/people/remark-form";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { can } from "@/lib/auth/roles";
import { requirePagePermission } from "@/lib/auth/session";
import type { TimelineEntry } from "@/lib/people/person";
import { personDetail } from "@/lib/people/queries";

export async function generateMetadata() {
  return { title: (await getTranslations("people.person"))("title") };
}

export default async function PersonPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const staff = await requirePagePermission("people:view");
  const { id } = await params;
  // Arrived from the search box with an openid: mark the account it belongs to.
  const foundIn = (await searchParams).in;
  if (!/^\d{1,15}$/.test(id)) notFound();
  const person = personDetail(Number(id));
  if (!person) notFound();
  const t = await getTranslations("people");
  const format = await getFormatter();
  const when = (ms: number) =>
    format.dateTime(new Date(ms), { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Shanghai" });
  const canEdit = can(staff.role, "people:edit");
  const current = person.follows.filter((f) => f.subscribed).length;

  return (
    <>
      <Link
        href="/people"
        className="mb-3 inline-flex items-center gap-1 text-sm text-slate-600 hover:text-slate-900"
      >
        <ArrowLeft aria-hidden className="size-4" />
        {t("person.back")}
      </Link>
      <PageHeader
        title={t("person.title")}
        description={t("person.summary", { current, total: person.follows.length })}
      />
      <Card className="mb-6">
        <dl className="grid gap-4 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-xs font-medium text-slate-500">{t("person.unionid")}</dt>
            <dd className="mt-1 flex items-center gap-1">
              <PersonHandle unionid={person.unionid} />
              {person.unionid && <CopyButton value={person.unionid} label={t("person.unionid")} />}
            </dd>
            {!person.unionid && <p className="mt-1 text-xs text-slate-500">{t("person.noUnionidWhy")}</p>}
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">{t("list.first")}</dt>
            <dd className="mt-1">{person.firstFollowAt ? when(person.firstFollowAt * 1000) : "—"}</dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">{t("list.latest")}</dt>
            <dd className="mt-1">{person.lastFollowAt ? when(person.lastFollowAt * 1000) : "—"}</dd>
          </div>
        </dl>
      </Card>

      <h2 className="mb-3 text-base font-semibold text-slate-900">{t("person.accounts")}</h2>
      <ul className="mb-8 grid gap-4 lg:grid-cols-2">
        {person.follows.map((f) => (
          <li key={`${f.accountId}:${f.openid}`}>
            <Card className={f.appid === foundIn ? "outline-2 outline-emerald-500" : undefined}>
              {f.appid === foundIn && (
                <p className="mb-2 text-xs font-medium text-emerald-800">{t("person.foundHere")}</p>
              )}
              <div className="mb-3 flex items-start justify-between gap-2">
                <h3 className="font-semibold text-slate-900">{f.accountName}</h3>
                {f.subscribed ? (
                  <Badge tone="green">
                    {f.subscribeTime
                      ? t("person.since", { date: when(f.subscribeTime * 1000) })
                      : t("person.subscribed")}
                  </Badge>
                ) : (
                  <Badge tone="slate">
                    {f.unsubscribedAt
                      ? t("person.leftOn", { date: when(f.unsubscribedAt) })
                      : t("person.left")}
                  </Badge>
                )}
              </div>
              <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-2 text-sm">
                <dt className="text-slate-500">{t("person.openid")}</dt>
                <dd className="flex items-center gap-1">
                  <span className="font-mono text-xs break-all" data-testid="openid">
                    {f.openid}
                  </span>
                  <CopyButton value={f.openid} label={`${f.accountName} ${t("person.openid")}`} />
                </dd>
                <dt className="text-slate-500">{t("person.scene")}</dt>
                <dd>
                  {f.subscribeScene
                    ? t.has(`filters.scenes.${f.subscribeScene}` as never)
                      ? t(`filters.scenes.${f.subscribeScene}` as never)
                      : f.subscribeScene
                    : "—"}
                </dd>
                <dt className="text-slate-500">{t("person.qrScene")}</dt>
                <dd>{f.qrSceneStr || (f.qrScene ? String(f.qrScene) : "—")}</dd>
                <dt className="text-slate-500">{t("list.tags")}</dt>
                <dd>{f.tags.length ? f.tags.join(" · ") : "—"}</dd>
                <dt className="text-slate-500">{t("person.language")}</dt>
                <dd>{f.language ?? "—"}</dd>
                <dt className="text-slate-500">{t("person.fetched")}</dt>
                <dd>{f.profileFetchedAt ? when(f.profileFetchedAt) : "—"}</dd>
                {!canEdit && (
                  <>
                    <dt className="text-slate-500">{t("person.remark")}</dt>
                    <dd>{f.remark ?? "—"}</dd>
                  </>
                )}
              </dl>
              {canEdit && (
                <div className="mt-4 border-t border-slate-100 pt-4">
                  {f.subscribed ? (
                    <RemarkForm
                      personId={person.id}
                      accountId={f.accountId}
                      accountName={f.accountName}
                      openid={f.openid}
                      remark={f.remark}
                    />
                  ) : (
                    <p className="text-sm text-slate-600">
                      {t("person.remark")}: {f.remark ?? "—"} · {t("person.remarkLeft")}
                    </p>
                  )}
                </div>
              )}
            </Card>
          </li>
        ))}
      </ul>

      <h2 className="mb-3 text-base font-semibold text-slate-900">{t("person.timeline")}</h2>
      {person.timeline.length === 0 ? (
        <p className="text-sm text-slate-600">{t("person.noEvents")}</p>
      ) : (
        <ol className="space-y-2 border-l-2 border-slate-200 pl-4 text-sm">
          {person.timeline.map((e, i) => (
            <li key={i}>
              <time className="mr-2 text-slate-500" dateTime={new Date(e.at).toISOString()}>
                {when(e.at)}
              </time>
              <TimelineText entry={e} linkRuns={can(staff.role, "syncs:view")} />
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

async function TimelineText({ entry, linkRuns }: { entry: TimelineEntry; linkRuns: boolean }) {
  const t = await getTranslations("people.timeline");
  switch (entry.kind) {
    case "followed":
      return <span>{t("followed", { name: entry.accountName })}</span>;
    case "left":
      return <span>{t("left", { name: entry.accountName })}</span>;
    case "sync":
      return (
        <span>
          {t(`sync.${entry.change}`, { name: entry.accountName })}{" "}
          {linkRuns ? (
            <Link href={`/syncs/${entry.runId}`} className="text-emerald-800 underline">
              {t("run", { id: entry.runId })}
            </Link>
          ) : (
            t("run", { id: entry.runId })
          )}
        </span>
      );
    case "push":
      return (
        <span>
          {t(`push.${entry.event}`, { name: entry.accountName })}
          {entry.stale && <span className="text-slate-500"> {t("push.stale")}</span>}
        </span>
      );
    case "remark":
      return (
        <span>
          {t("remark", { name: entry.accountName, by: entry.by ?? "—", remark: entry.remark ?? "" })}
        </span>
      );
  }
}
