import { ShieldAlert } from "lucide-react";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";

export default async function Forbidden() {
  const t = await getTranslations("errors");
  return (
    <main className="mx-auto max-w-xl px-4 py-16">
      <EmptyState
        icon={<ShieldAlert className="size-10" />}
        title={t("forbiddenTitle")}
        body={t("forbidden")}
        action={
          <Link href="/" className={buttonClass("secondary")}>
            {t("backHome")}
          </Link>
        }
      />
    </main>
  );
}
