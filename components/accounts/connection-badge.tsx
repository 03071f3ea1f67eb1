import { getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/card";
import type { ConnectionState } from "@/lib/accounts/queries";

export async function ConnectionBadge({ state }: { state: ConnectionState }) {
  const t = await getTranslations("accounts.connection");
  if (state === "failing") return <Badge tone="red">{t("failing")}</Badge>;
  if (state === "connected") return <Badge tone="green">{t("connected")}</Badge>;
  return <Badge>{t("untested")}</Badge>;
}
