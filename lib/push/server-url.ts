import "server-only";
import { headers } from "next/headers";

/** The URL to paste into 服务器配置, built from the address the admin reached the dashboard at. */
export async function pushServerUrl(appid: string): Promise<string> {
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http";
  return `${proto}://${host}/api/wechat/${encodeURIComponent(appid)}`;
}
