import "server-only";
import { openReader, sqlite } from "@/lib/db";
import { peopleCountsCsv as countsCsv, peopleCsvStream } from "./export";
import type { Cursor, PeopleFilter } from "./filters";
import { personDetail as detailOf } from "./person";
import { accountRefs as refs, countPeople as count, listPeople as list, tagOptions as tags } from "./rows";
import { searchPeople as search } from "./search";

/*
 * What pages and route handlers read about people, on the process's shared connection. The readers
 * themselves (planner.ts, rows.ts, person.ts, search.ts, export.ts) take a connection, so tests, the
 * CLI and the benches run them on their own databases.
 */

export type { AccountRef, FollowDetail, PeoplePage, PersonRow } from "./rows";

export const accountRefs = () => refs(sqlite());
export const tagOptions = () => tags(sqlite());
export const anyPeople = () => (sqlite().prepare("SELECT 1 FROM people LIMIT 1").get() ?? null) !== null;
export const listPeople = (
  filter: PeopleFilter,
  page: { after?: Cursor | null; before?: Cursor | null },
  accounts = accountRefs(),
) => list(sqlite(), filter, page, { accounts });
export const countPeople = (filter: PeopleFilter) => count(sqlite(), filter);
export const personDetail = (personId: number) => detailOf(sqlite(), personId);
export const searchPeople = (input: string) => search(sqlite(), input);
export const peopleCountsCsv = (filter: PeopleFilter) => countsCsv(sqlite(), filter);

/** Every matching person as CSV, read on a connection of its own with a small page cache (closed at the end). */
export function peopleCsvExport(filter: PeopleFilter): ReadableStream<Uint8Array> {
  // A scan of millions of rows neither evicts the app's cached pages nor grows memory.
  const reader = openReader({ cacheKib: 8192 });
  return peopleCsvStream(reader, filter, () => reader.close());
}
