import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/card";

/** How a person is named in lists: the unionid, or a "no UnionID" marker with the single openid. */
export async function PersonHandle({ unionid, openid }: { unionid: string | null; openid?: string }) {
  const t = await getTranslations("people");
  if (unionid) return <span className="font-mono text-xs break-all">{unionid}</span>;
  return (
    <span className="flex flex-col items-start gap-1">
      <Badge tone="amber">{t("noUnionid")}</Badge>
      {openid && <span className="font-mono text-xs break-all text-slate-600">{openid}</span>}
    </span>
  );
}
