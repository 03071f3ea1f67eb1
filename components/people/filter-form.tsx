import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { SCENES, SORTS, type PeopleFilter } from "@/lib/people/filters";
import type { AccountRef } from "@/lib/people/rows";

interface Props {
  filter: PeopleFilter;
  accounts: AccountRef[];
  tags: { appid: string; accountName: string; tagId: number; name: string }[];
}

const label = "block text-xs font-medium text-slate-700";

/** The people list's filters as a plain GET form: the URL is the state, so any view can be shared. */
export async function FilterForm({ filter, accounts, tags }: Props) {
  const t = await getTranslations("people.filters");
  const tagValue = filter.tag ? `${filter.tag.appid}:${filter.tag.tagId}` : "";
  return (
    <form
      method="get"
      action="/people"
      className="mb-6 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
        <fieldset className="md:col-span-2">
          <legend className={label}>{t("accounts")}</legend>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {accounts.map((a) => (
              <label key={a.appid} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  name="acc"
                  value={a.appid}
                  defaultChecked={filter.acc.includes(a.appid)}
                  className="size-4 accent-emerald-600"
                />
                {a.name}
              </label>
            ))}
          </div>
          <div className="mt-2 flex gap-4 text-sm">
            <label className="flex items-center gap-2">
              <input type="radio" name="match" value="any" defaultChecked={filter.match === "any"} />
              {t("matchAny")}
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="match" value="all" defaultChecked={filter.match === "all"} />
              {t("matchAll")}
            </label>
          </div>
        </fieldset>
        <div className="grid grid-cols-2 gap-2">
          <div>
            <label htmlFor="f-min" className={label}>
              {t("min")}
            </label>
            <input
              id="f-min"
              name="min"
              type="number"
              min={0}
              max={31}
              defaultValue={filter.min ?? ""}
              className={inputClass}
            />
          </div>
          <div>
            <label htmlFor="f-max" className={label}>
              {t("max")}
            </label>
            <input
              id="f-max"
              name="max"
              type="number"
              min={0}
              max={31}
              defaultValue={filter.max ?? ""}
              className={inputClass}
            />
          </div>
        </div>
        <div>
          <label htmlFor="f-status" className={label}>
            {t("status")}
          </label>
          <select id="f-status" name="status" defaultValue={filter.status} className={inputClass}>
            <option value="current">{t("statusCurrent")}</option>
            <option value="left">{t("statusLeft")}</option>
            <option value="all">{t("statusAll")}</option>
          </select>
        </div>
        <div>
          <label htmlFor="f-scene" className={label}>
            {t("scene")}
          </label>
          <select id="f-scene" name="scene" defaultValue={filter.scene ?? ""} className={inputClass}>
            <option value="">{t("any")}</option>
            {SCENES.map((s) => (
              <option key={s} value={s}>
                {t.has(`scenes.${s}` as never) ? t(`scenes.${s}` as never) : s}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-tag" className={label}>
            {t("tag")}
          </label>
          <select id="f-tag" name="tag" defaultValue={tagValue} className={inputClass}>
            <option value="">{t("any")}</option>
            {tags.map((tag) => (
              <option key={`${tag.appid}:${tag.tagId}`} value={`${tag.appid}:${tag.tagId}`}>
                {tag.accountName} · {tag.name}
              </option>
            ))}
          </select>
        </div>
        <div className="grid grid-cols-2 gap-2 xl:col-span-2">
          <div>
            <label htmlFor="f-from" className={label}>
              {t("from")}
            </label>
            <input
              id="f-from"
              name="from"
              type="date"
              defaultValue={filter.from ?? ""}
              className={inputClass}
            />
          </div>
          <div>
            <label htmlFor="f-to" className={label}>
              {t("to")}
            </label>
            <input id="f-to" name="to" type="date" defaultValue={filter.to ?? ""} className={inputClass} />
          </div>
        </div>
        <div className="grid grid-cols-2 gap-2 xl:col-span-2">
          <div>
            <label htmlFor="f-sort" className={label}>
              {t("sort")}
            </label>
            <select id="f-sort" name="sort" defaultValue={filter.sort} className={inputClass}>
              {SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`sorts.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="f-dir" className={label}>
              {t("dir")}
            </label>
            <select id="f-dir" name="dir" defaultValue={filter.dir} className={inputClass}>
              <option value="desc">{t("desc")}</option>
              <option value="asc">{t("asc")}</option>
            </select>
          </div>
        </div>
        <label className="flex items-center gap-2 self-end pb-2 text-sm">
          <input
            type="checkbox"
            name="nounionid"
            value="1"
            defaultChecked={filter.noUnionid}
            className="size-4 accent-emerald-600"
          />
          {t("noUnionid")}
        </label>
      </div>
      <p className="mt-3 text-xs text-slate-500">{t("hint")}</p>
      <div className="mt-3 flex gap-2">
        <button type="submit" className={buttonClass()}>
          {t("apply")}
        </button>
        <Link href="/people" className={buttonClass("secondary")}>
          {t("reset")}
        </Link>
      </div>
    </form>
  );
}
