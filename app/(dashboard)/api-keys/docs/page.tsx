import { headers } from "next/headers";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Card, PageHeader } from "@/components/ui/card";
import { apiOperations, openApiDocument } from "@/lib/apiv1/openapi";
import { requirePagePermission } from "@/lib/auth/session";

export async function generateMetadata() {
  return { title: (await getTranslations("apiDocs"))("title") };
}

/** The API's OpenAPI document, each operation with a curl example against this server. */
export default async function ApiDocsPage() {
  await requirePagePermission("apikeys:manage");
  const t = await getTranslations("apiDocs");
  const h = await headers();
  const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000"}`;
  const document = JSON.stringify(openApiDocument(), null, 2);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="space-y-4">
        {apiOperations().map((op) => (
          <Card key={`${op.method} ${op.path}`}>
            <h2 className="font-mono text-sm font-semibold text-slate-900">
              <span className="mr-2 rounded bg-slate-900 px-1.5 py-0.5 text-xs text-white uppercase">
                {op.method}
              </span>
              {op.path}
            </h2>
            <p className="mt-1 text-sm text-slate-700">
              {op.summary} · <code className="font-mono">{op.scope}</code>
            </p>
            <pre
              aria-label={t("curlFor", { path: op.path })}
              className="mt-3 overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100"
            >
              {op.curl(origin)}
            </pre>
          </Card>
        ))}
        <Card>
          <h2 className="text-base font-semibold text-slate-900">{t("errorsTitle")}</h2>
          <p className="mt-1 text-sm text-slate-700">{t("errorsBody")}</p>
        </Card>
        <Card>
          <div className="flex items-center justify-between gap-2">
            <h2 className="text-base font-semibold text-slate-900">{t("documentTitle")}</h2>
            <Link href="/api/v1/openapi.json" className="text-sm font-medium text-emerald-700 underline">
              /api/v1/openapi.json
            </Link>
          </div>
          <pre
            aria-label={t("documentTitle")}
            className="mt-3 max-h-[32rem] overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800 ring-1 ring-slate-200"
          >
            {document}
          </pre>
        </Card>
      </div>
    </>
  );
}
