import type Database from "better-sqlite3";
import { BOM, csvRow } from "@/lib/csv/write";
import type { Cursor, PeopleFilter } from "./filters";
import { accountRefs, countsByMask, listPeople, type AccountRef, type PersonRow } from "./rows";

const EXPORT_PAGE = 1000;

function isoDay(seconds: number | null): string {
  return seconds ? new Date(seconds * 1000).toISOString().slice(0, 10) : "";
}

function headerRow(accounts: AccountRef[]): string {
  return csvRow([
    "person_id",
    "unionid",
    "accounts_followed",
    "first_follow",
    "latest_follow",
    ...accounts.flatMap((a) => [
      `${a.name} openid`,
      `${a.name} subscribed`,
      `${a.name} remark`,
      `${a.name} tags`,
    ]),
  ]);
}

function personRow(p: PersonRow, accounts: AccountRef[]): string {
  const byAccount = new Map(p.follows.map((f) => [f.appid, f]));
  return csvRow([
    p.id,
    p.unionid,
    p.accountsCount,
    isoDay(p.firstFollowAt),
    isoDay(p.lastFollowAt),
    ...accounts.flatMap((a) => {
      const f = byAccount.get(a.appid);
      return f ? [f.openid, f.subscribed ? "yes" : "no", f.remark, f.tags.join("; ")] : ["", "", "", ""];
    }),
  ]);
}

/**
 * The filtered people as CSV, one keyset page at a time as the reader pulls: memory stays flat
 * however many people match. `onEnd` runs once when the stream is finished or cancelled.
 */
export function peopleCsvStream(
  sqlite: Database.Database,
  filter: PeopleFilter,
  onEnd: () => void = () => {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const accounts = accountRefs(sqlite);
  let after: Cursor | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(BOM + headerRow(accounts)));
          return;
        }
        try {
          const page = listPeople(sqlite, filter, { after, limit: EXPORT_PAGE }, { accounts });
          if (page.rows.length)
            controller.enqueue(encoder.encode(page.rows.map((p) => personRow(p, accounts)).join("")));
          if (page.next) {
            after = page.next;
            return;
          }
          controller.close();
        } catch (error) {
          controller.error(error);
        }
        onEnd();
      },
      cancel: onEnd,
    },
    { highWaterMark: 1 },
  );
}

/** Aggregate counts of the filtered set: people per exact combination of accounts, no person-level data. */
export function peopleCountsCsv(sqlite: Database.Database, filter: PeopleFilter): string {
  const accounts = accountRefs(sqlite);
  const counts = [...countsByMask(sqlite, filter, { accounts })]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  const names = (mask: number) => accounts.filter((a) => (mask >>> a.slot) & 1).map((a) => a.name);
  let out = BOM + csvRow(["accounts_followed_now", "number_of_accounts", "people"]);
  for (const [mask, n] of counts) {
    const list = names(mask);
    out += csvRow([list.length ? list.join(" + ") : "(none: left every account)", list.length, n]);
  }
  out += csvRow(["total", "", counts.reduce((s, [, n]) => s + n, 0)]);
  return out;
}
