import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { Badge, Card } from "@/components/ui/card";
import { links } from "@/lib/analytics/links";
import { ratio, type Overview } from "@/lib/analytics/overview";

/** The four headline numbers, each saying what it counts. */
export async function Figures({ overview }: { overview: Overview }) {
  const t = await getTranslations("overview.figures");
  const format = await getFormatter();
  const n = (v: number) => format.number(v);
  const pct = (v: number | null) =>
    v === null ? "—" : format.number(v, { style: "percent", maximumFractionDigits: 1 });
  const without = overview.withoutUnionid;
  // Followers WeChat counts that the last listing saw but whose profiles are not stored yet.
  const notFetched = overview.accounts.reduce(
    (s, a) => s + (a.reportedTotal !== null ? Math.max(0, a.reportedTotal - a.followers) : 0),
    0,
  );
  const figures = [
    {
      id: "unique",
      label: t("unique"),
      value: overview.uniquePeople,
      href: links.everyone(),
      notes: [t("uniqueNote")],
    },
    { id: "summed", label: t("summed"), value: overview.summedFollowers, notes: [t("summedNote")] },
    {
      id: "duplicates",
      label: t("duplicates"),
      value: overview.duplicateFollows,
      href: links.duplicated(),
      notes: [
        t("duplicatesNote", { share: pct(ratio(overview.duplicateFollows, overview.summedFollowers)) }),
      ],
    },
    {
      id: "noUnionid",
      label: t("noUnionid"),
      value: without.total,
      href: links.noUnionid(),
      notes: [
        t("coverage", {
          coverage: pct(ratio(overview.summedFollowers - without.total, overview.summedFollowers)),
        }),
        t("unboundReason", { count: n(without.unboundAccount) }),
        t("notReturnedReason", { count: n(without.notReturned) }),
        t("profilePendingReason", { count: n(without.profilePending) }),
        ...(notFetched > 0 ? [t("notFetchedReason", { count: n(notFetched) })] : []),
      ],
    },
  ];
  return (
    <dl className="mb-6 grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      {figures.map((f) => (
        <Card key={f.id}>
          <dt className="flex items-center gap-2 text-sm text-slate-600">
            {f.label}
            {overview.provisional && <Badge tone="blue">{t("provisional")}</Badge>}
          </dt>
          <dd className="mt-1 text-3xl font-semibold tracking-tight" data-testid={`figure-${f.id}`}>
            {f.href ? (
              <Link href={f.href} className="hover:text-emerald-700 hover:underline">
                {n(f.value)}
              </Link>
            ) : (
              n(f.value)
            )}
          </dd>
          {f.notes.map((note) => (
            <dd key={note} className="mt-1 text-xs text-slate-500">
              {note}
            </dd>
          ))}
        </Card>
      ))}
    </dl>
  );
}
