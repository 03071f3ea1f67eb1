"use client";

import { Search } from "lucide-react";
import { useTranslations } from "next-intl";
import { usePathname, useSearchParams } from "next/navigation";

/** The header's people search; on the results page it keeps the text that was searched. */
export function SearchBox() {
  const t = useTranslations("search");
  const pathname = usePathname();
  const params = useSearchParams();
  const query = pathname === "/search" ? (params.get("q") ?? "") : "";
  return (
    <form
      role="search"
      action="/search"
      method="get"
      className="flex items-center gap-2 border-b border-slate-200 bg-white px-4 py-2 sm:px-8"
    >
      <label htmlFor="people-search" className="sr-only">
        {t("label")}
      </label>
      <Search aria-hidden className="size-4 shrink-0 text-slate-400" />
      <input
        key={query}
        id="people-search"
        name="q"
        type="search"
        required
        maxLength={1000}
        defaultValue={query}
        placeholder={t("placeholder")}
        className="w-full max-w-xl rounded-md border-0 bg-slate-50 px-3 py-2 text-sm ring-1 ring-slate-200 focus:ring-2 focus:ring-emerald-600 focus:outline-none"
      />
    </form>
  );
}
