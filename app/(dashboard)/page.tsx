import { redirect } from "next/navigation";
import { homeFor } from "@/lib/auth/roles";
import { requirePagePermission } from "@/lib/auth/session";

export default async function Home() {
  const staff = await requirePagePermission();
  redirect(homeFor(staff.role));
}
