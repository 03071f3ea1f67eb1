import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PushEventsChart } from "@/components/push/events-chart";
import { Badge, Card, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { getAccount } from "@/lib/accounts/queries";
import { can } from "@/lib/auth/roles";
import { currentStaff, requirePagePermission } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { pushEventsPerHour, recentPushEvents, type RecentPushEvent } from "@/lib/push/queries";
import { requestTime } from "@/lib/time/request-time";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  // Metadata renders beside the page, not after its permission check (see the account page).
  const staff = await currentStaff();
  if (!staff || !can(staff.role, "accounts:manage")) return {};
  const account = getAccount((await params).id);
  const t = await getTranslations("push.events");
  return { title: account ? t("title", { name: account.name }) : undefined };
}

const KNOWN_EVENTS = ["subscribe", "unsubscribe", "SCAN", "text"] as const;
const OUTCOME_TONE = { applied: "green", stale: "amber", noop: "slate", message: "blue" } as const;

export default async function AccountEventsPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePagePermission("accounts:manage");
  const account = getAccount((await params).id);
  if (!account) notFound();
  const t = await getTranslations("push.events");
  const format = await getFormatter();
  const now = requestTime();
  const events = recentPushEvents(account.id, 50);
  const buckets = pushEventsPerHour(account.id, now);
  const days = env().PUSH_EVENTS_RETENTION_DAYS;
  const retention = days > 0 ? t("retention", { days }) : t("retentionForever");
  const eventName = (e: RecentPushEvent) =>
    (KNOWN_EVENTS as readonly string[]).includes(e.event)
      ? t(`event.${e.event as (typeof KNOWN_EVENTS)[number]}`)
      : e.event;
  return (
    <div className="max-w-5xl space-y-6">
      <div>
        <Link href={`/accounts/${account.id}`} className="text-sm text-emerald-700 hover:underline">
          ← {t("back", { name: account.name })}
        </Link>
      </div>
      <PageHeader
        title={t("title", { name: account.name })}
        description={`${t("description")} ${retention}`}
      />
      <Card>
        <PushEventsChart buckets={buckets} />
      </Card>
      <h2 className="text-base font-semibold text-slate-900">{t("recentTitle")}</h2>
      {events.length === 0 ? (
        <EmptyState title={t("emptyTitle")} body={t("emptyBody")} />
      ) : (
        <Table
          caption={t("recentTitle")}
          head={
            <>
              <Th>{t("columns.receivedAt")}</Th>
              <Th>{t("columns.event")}</Th>
              <Th>{t("columns.openid")}</Th>
              <Th>{t("columns.outcome")}</Th>
              <Th>{t("columns.mode")}</Th>
            </>
          }
        >
          {events.map((e) => (
            <tr key={e.id}>
              <Td className="whitespace-nowrap">
                <time dateTime={new Date(e.receivedAt).toISOString()}>
                  {format.dateTime(e.receivedAt, { dateStyle: "short", timeStyle: "medium" })}
                </time>
              </Td>
              <Td>
                {eventName(e)}
                {e.eventKey && <span className="ml-1 text-xs text-slate-500">{e.eventKey}</span>}
              </Td>
              <Td className="font-mono text-xs">
                {e.personId ? (
                  <Link href={`/people/${e.personId}`} className="text-emerald-800 underline">
                    {e.openid}
                  </Link>
                ) : (
                  e.openid
                )}
              </Td>
              <Td>
                <Badge tone={OUTCOME_TONE[e.outcome]}>{t(`outcome.${e.outcome}`)}</Badge>
              </Td>
              <Td>{t(`mode.${e.mode}`)}</Td>
            </tr>
          ))}
        </Table>
      )}
    </div>
  );
}
