import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { CopyButton } from "@/components/people/copy-button";
import { Badge, Card } from "@/components/ui/card";
import type { PushSummary } from "@/lib/push/queries";

/**
 * What the admin pastes into 基本配置 → 服务器配置. The token and EncodingAESKey are secrets the admin
 * enters in the form above; like every secret they are only reported as set or not set.
 */
export async function PushSetup({
  account,
  serverUrl,
  summary,
}: {
  account: { id: string; hasPushToken: boolean; hasAesKey: boolean; disabled: boolean };
  serverUrl: string;
  summary: PushSummary;
}) {
  const t = await getTranslations("push.setup");
  const format = await getFormatter();
  const status = (set: boolean) =>
    set ? <Badge tone="green">{t("set")}</Badge> : <Badge tone="amber">{t("notSet")}</Badge>;
  return (
    <Card>
      <section aria-labelledby="push-setup-title">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h2 id="push-setup-title" className="text-base font-semibold">
              {t("title")}
            </h2>
            <p className="mt-1 text-sm text-slate-600">{t("description")}</p>
          </div>
          <Link
            href={`/accounts/${account.id}/events`}
            className="text-sm font-medium text-emerald-800 underline"
          >
            {t("viewEvents")}
          </Link>
        </div>
        <dl className="mt-4 grid gap-4 text-sm sm:grid-cols-2">
          <div className="sm:col-span-2">
            <dt className="text-slate-500">{t("url")}</dt>
            <dd className="mt-1 flex items-center gap-2">
              <code className="rounded bg-slate-100 px-2 py-1 break-all">{serverUrl}</code>
              <CopyButton value={serverUrl} label={t("url")} />
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("token")}</dt>
            <dd className="mt-1">{status(account.hasPushToken)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("aesKey")}</dt>
            <dd className="mt-1">{status(account.hasAesKey)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("mode")}</dt>
            <dd className="mt-1">{t("modeValue")}</dd>
          </div>
          <div>
            <dt className="text-slate-500">{t("lastEvent")}</dt>
            <dd className="mt-1">
              {summary.lastAt
                ? format.dateTime(summary.lastAt, { dateStyle: "medium", timeStyle: "medium" })
                : t("never")}{" "}
              <span className="text-slate-500">· {t("last24h", { count: summary.last24h })}</span>
            </dd>
          </div>
        </dl>
        {!account.hasPushToken && (
          <p role="alert" className="mt-4 rounded bg-amber-50 p-3 text-sm text-amber-900">
            {t("noToken")}
          </p>
        )}
        {account.hasPushToken && !account.hasAesKey && (
          <p className="mt-4 rounded bg-amber-50 p-3 text-sm text-amber-900">{t("noAesKey")}</p>
        )}
        {account.disabled && (
          <p className="mt-4 rounded bg-amber-50 p-3 text-sm text-amber-900">{t("disabled")}</p>
        )}
        <details className="mt-4 text-sm">
          <summary className="cursor-pointer font-medium text-slate-800">{t("howTo.title")}</summary>
          <ol className="mt-2 list-decimal space-y-1 pl-5 text-slate-700">
            <li>{t("howTo.open")}</li>
            <li>{t("howTo.url")}</li>
            <li>{t("howTo.secrets")}</li>
            <li>{t("howTo.submit")}</li>
            <li>{t("howTo.public")}</li>
            <li>{t("howTo.single")}</li>
          </ol>
        </details>
      </section>
    </Card>
  );
}
