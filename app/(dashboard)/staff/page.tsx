import { getFormatter, getTranslations } from "next-intl/server";
import { CreateStaff } from "@/components/staff/create-staff";
import { StaffRowActions } from "@/components/staff/staff-row-actions";
import { Badge, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { requirePagePermission } from "@/lib/auth/session";
import { listStaff } from "@/lib/staff/queries";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("staff") };
}

export default async function StaffPage() {
  const me = await requirePagePermission("staff:manage");
  const t = await getTranslations();
  const format = await getFormatter();
  const staff = listStaff();
  return (
    <>
      <PageHeader title={t("staff.title")} description={t("staff.description")} actions={<CreateStaff />} />
      <Table
        caption={t("staff.title")}
        head={
          <>
            <Th>{t("staff.fields.email")}</Th>
            <Th>{t("staff.fields.name")}</Th>
            <Th>{t("staff.fields.role")}</Th>
            <Th>{t("staff.status")}</Th>
            <Th>{t("staff.lastSignIn")}</Th>
            <Th>
              <span className="sr-only">{t("staff.actions")}</span>
            </Th>
          </>
        }
      >
        {staff.map((member) => (
          <tr key={member.id}>
            <Td className="font-medium">{member.email}</Td>
            <Td>{member.name}</Td>
            <Td>{t(`roles.${member.role}`)}</Td>
            <Td>
              {member.disabledAt ? (
                <Badge tone="red">{t("staff.disabled")}</Badge>
              ) : (
                <Badge tone="green">{t("staff.active")}</Badge>
              )}
            </Td>
            <Td className="whitespace-nowrap text-slate-600">
              {member.lastSignInAt ? format.relativeTime(member.lastSignInAt) : t("staff.never")}
            </Td>
            <Td>
              <StaffRowActions
                member={{
                  id: member.id,
                  email: member.email,
                  role: member.role,
                  disabled: Boolean(member.disabledAt),
                }}
                isSelf={member.id === me.id}
              />
            </Td>
          </tr>
        ))}
      </Table>
    </>
  );
}
