import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";

/**
 * Server-side request forgery guard: a webhook may not point at loopback, private, link-local,
 * carrier-grade NAT, multicast or reserved addresses (the server's own admin ports, the cloud's
 * metadata service, the intranet) unless UNIONVIEW_WEBHOOK_ALLOW_PRIVATE=1. Checked when an endpoint
 * is registered and again on every delivery, on the address actually connected to (DNS may change).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  blocked.addSubnet(net, prefix, "ipv6");

/** True for an address a webhook may not reach by default. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, "ipv4");
  return blocked.check(address, "ipv6");
}

export class PrivateAddressError extends Error {
  constructor(readonly host: string) {
    super(`${host} is a loopback or private-network address; webhooks may not reach it`);
    this.name = "PrivateAddressError";
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that refuses private addresses, so the check applies to the address
 * the socket connects to (no window between a check and a second resolution).
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback) => {
    dnsLookup(hostname, { all: true, family: options.family }, (err, addresses) => {
      if (err) return callback(err, "");
      const bad = !allowPrivate && addresses.some((a) => isPrivateAddress(a.address));
      if (bad || addresses.length === 0)
        return callback(Object.assign(new PrivateAddressError(hostname), { code: "EPRIVATE" }), "");
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** Resolves a host the way a delivery will and says whether it may be reached. */
export async function checkHost(
  host: string,
  allowPrivate: boolean,
): Promise<"ok" | "private" | "unresolvable"> {
  const bare = host.replace(/^\[|\]$/g, "");
  if (isIP(bare)) return allowPrivate || !isPrivateAddress(bare) ? "ok" : "private";
  return new Promise((resolve) =>
    dnsLookup(bare, { all: true }, (err, addresses) => {
      if (err || addresses.length === 0) return resolve("unresolvable");
      resolve(allowPrivate || !addresses.some((a) => isPrivateAddress(a.address)) ? "ok" : "private");
    }),
  );
}
