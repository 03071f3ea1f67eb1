import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { Shell } from "@/components/layout/shell";
import { Alert } from "@/components/ui/card";
import { keyProblemMessage, secretKeyStatus } from "@/lib/accounts/key-check";
import { can, navFor } from "@/lib/auth/roles";
import { requirePagePermission } from "@/lib/auth/session";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const staff = await requirePagePermission();
  const t = await getTranslations("keyCheck");
  const keyStatus = can(staff.role, "accounts:manage") ? secretKeyStatus() : { ok: true as const };
  return (
    <Shell
      staff={{ name: staff.name, email: staff.email, role: staff.role }}
      nav={navFor(staff.role)}
      canSearch={can(staff.role, "people:view")}
    >
      {!keyStatus.ok && (
        <div className="mb-6">
          <Alert title={t("title")}>{await keyProblemMessage(keyStatus)}</Alert>
        </div>
      )}
      {children}
    </Shell>
  );
}
