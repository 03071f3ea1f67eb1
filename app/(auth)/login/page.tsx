import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { LocaleSwitcher } from "@/components/layout/locale-switcher";
import { Alert } from "@/components/ui/card";
import { homeFor } from "@/lib/auth/roles";
import { currentStaff } from "@/lib/auth/session";
import { LoginForm } from "./login-form";

export async function generateMetadata() {
  const t = await getTranslations("login");
  return { title: t("title") };
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const staff = await currentStaff();
  if (staff) redirect(homeFor(staff.role));
  const params = await searchParams;
  const t = await getTranslations();
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <p className="text-2xl font-bold tracking-tight text-emerald-700">{t("app.name")}</p>
          <p className="mt-1 text-sm text-slate-600">{t("app.tagline")}</p>
        </div>
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <h1 className="mb-4 text-lg font-semibold">{t("login.title")}</h1>
          {params.expired && (
            <div className="mb-4">
              <Alert tone="amber" title={t("login.expired")} />
            </div>
          )}
          <LoginForm next={params.callbackUrl ?? params.next} />
        </div>
        <div className="mt-6 flex justify-center">
          <LocaleSwitcher />
        </div>
      </div>
    </main>
  );
}
