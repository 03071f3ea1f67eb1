import { getTranslations } from "next-intl/server";
import { cn } from "@/components/ui/cn";
import type { FollowDetail } from "@/lib/people/rows";

/** One badge per account the person follows or followed; accounts they left are struck through. */
export async function FollowBadges({ follows }: { follows: FollowDetail[] }) {
  const t = await getTranslations("people");
  return (
    <ul className="flex flex-wrap gap-1" aria-label={t("list.accounts")}>
      {follows.map((f) => (
        <li
          key={`${f.appid}:${f.openid}`}
          title={f.subscribed ? f.accountName : t("list.left", { name: f.accountName })}
          className={cn(
            "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1",
            f.subscribed
              ? "bg-emerald-50 text-emerald-800 ring-emerald-200"
              : "bg-slate-50 text-slate-500 line-through ring-slate-200",
          )}
        >
          {f.accountName}
          {!f.subscribed && <span className="sr-only"> ({t("list.leftShort")})</span>}
        </li>
      ))}
    </ul>
  );
}
