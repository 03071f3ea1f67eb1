import { SearchX } from "lucide-react";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/card";

export default async function NotFound() {
  const t = await getTranslations("errors");
  return (
    <main className="mx-auto max-w-xl px-4 py-16">
      <EmptyState
        icon={<SearchX className="size-10" />}
        title={t("notFoundTitle")}
        body={t("notFound")}
        action={
          <Link href="/" className={buttonClass("secondary")}>
            {t("backHome")}
          </Link>
        }
      />
    </main>
  );
}
