import { z } from "zod";

import { SCENES } from "@/lib/followers/scenes";

export { SCENES };

export const SORTS = ["first", "latest", "accounts"] as const;
export type Sort = (typeof SORTS)[number];

/**
 * The people list's filters, as they appear in the URL (so a view can be shared):
 * acc=<appid>,… match=any|all min max status=current|left|all nounionid=1 scene from to (YYYY-MM-DD,
 * first follow, Beijing days) tag=<appid>:<tagid> sort=first|latest|accounts dir=asc|desc, and the
 * keyset cursor after= or before=.
 */
export interface PeopleFilter {
  acc: string[];
  match: "any" | "all";
  min: number | null;
  max: number | null;
  status: "current" | "left" | "all";
  noUnionid: boolean;
  scene: string | null;
  from: string | null;
  to: string | null;
  tag: { appid: string; tagId: number } | null;
  sort: Sort;
  dir: "asc" | "desc";
}

export interface Cursor {
  value: number;
  id: number;
}

export const DEFAULT_FILTER: PeopleFilter = {
  acc: [],
  match: "any",
  min: null,
  max: null,
  status: "current",
  noUnionid: false,
  scene: null,
  from: null,
  to: null,
  tag: null,
  sort: "latest",
  dir: "desc",
};

const appid = z.string().regex(/^wx[0-9a-zA-Z]{6,30}$/);
const day = z.iso.date();
const count = z.coerce.number().int().min(0).max(31);

const fields = {
  acc: z
    .string()
    .max(1000)
    .transform((s) => [...new Set(s.split(",").filter(Boolean))])
    .pipe(z.array(appid).max(31)),
  match: z.enum(["any", "all"]),
  min: count,
  max: count,
  status: z.enum(["current", "left", "all"]),
  nounionid: z.enum(["1", "0"]),
  scene: z.enum(SCENES),
  from: day,
  to: day,
  tag: z
    .string()
    .regex(/^wx[0-9a-zA-Z]{6,30}:\d{1,9}$/)
    .transform((s) => {
      const [a, id] = s.split(":") as [string, string];
      return { appid: a, tagId: Number(id) };
    }),
  sort: z.enum(SORTS),
  dir: z.enum(["asc", "desc"]),
};

const cursor = z
  .string()
  .regex(/^-?\d{1,15}\.\d{1,15}$/)
  .transform((s) => {
    const [value, id] = s.split(".").map(Number) as [number, number];
    return { value, id };
  });

type Params = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads the filters from URL parameters. A malformed parameter is dropped (and named in `ignored`)
 * rather than failing the page, so a hand-edited link still shows something sensible.
 */
export function parsePeopleParams(params: Params): {
  filter: PeopleFilter;
  after: Cursor | null;
  before: Cursor | null;
  ignored: string[];
} {
  const filter: PeopleFilter = { ...DEFAULT_FILTER, acc: [] };
  const ignored: string[] = [];
  for (const [key, schema] of Object.entries(fields)) {
    // Checkboxes send acc=A&acc=B; shared links carry acc=A,B.
    const value = params[key];
    const raw = key === "acc" && Array.isArray(value) ? value.join(",") : first(value);
    if (raw === undefined || raw === "") continue;
    const parsed = (schema as z.ZodType).safeParse(raw);
    if (!parsed.success) {
      ignored.push(key);
      continue;
    }
    if (key === "nounionid") filter.noUnionid = parsed.data === "1";
    else (filter as unknown as Record<string, unknown>)[key] = parsed.data;
  }
  if (filter.from && filter.to && filter.from > filter.to)
    [filter.from, filter.to] = [filter.to, filter.from];
  const readCursor = (key: string) => {
    const raw = first(params[key]);
    if (!raw) return null;
    const parsed = cursor.safeParse(raw);
    if (!parsed.success) ignored.push(key);
    return parsed.success ? parsed.data : null;
  };
  const after = readCursor("after");
  const before = readCursor("before");
  // A mistyped name (e.g. "accounts=…") would otherwise widen the list without a word.
  for (const key of Object.keys(params))
    if (!(key in fields) && key !== "after" && key !== "before" && !ignored.includes(key)) ignored.push(key);
  return { filter, after, before, ignored };
}

/** An export route's refusal of a filter with malformed parameters: nothing is exported. */
export function malformedFilter(ignored: string[]): Response {
  return Response.json(
    {
      error: `These filter parameters are malformed: ${ignored.join(", ")}. Nothing was exported; fix or remove them (the people page shows the filter it understood).`,
    },
    { status: 400 },
  );
}

/** Whether the URL is already in the form peopleQuery writes (no empty or repeated parameters). */
export function isCanonical(params: Params): boolean {
  return Object.values(params).every((v) => v !== "" && !Array.isArray(v));
}

/** The URL query for a filter (defaults left out), plus an optional cursor. */
export function peopleQuery(filter: PeopleFilter, page?: { after?: Cursor; before?: Cursor }): string {
  const q = new URLSearchParams();
  if (filter.acc.length) q.set("acc", filter.acc.join(","));
  if (filter.acc.length > 1 && filter.match !== "any") q.set("match", filter.match);
  if (filter.min !== null) q.set("min", String(filter.min));
  if (filter.max !== null) q.set("max", String(filter.max));
  if (filter.status !== DEFAULT_FILTER.status) q.set("status", filter.status);
  if (filter.noUnionid) q.set("nounionid", "1");
  if (filter.scene) q.set("scene", filter.scene);
  if (filter.from) q.set("from", filter.from);
  if (filter.to) q.set("to", filter.to);
  if (filter.tag) q.set("tag", `${filter.tag.appid}:${filter.tag.tagId}`);
  if (filter.sort !== DEFAULT_FILTER.sort) q.set("sort", filter.sort);
  if (filter.dir !== DEFAULT_FILTER.dir) q.set("dir", filter.dir);
  if (page?.after) q.set("after", `${page.after.value}.${page.after.id}`);
  if (page?.before) q.set("before", `${page.before.value}.${page.before.id}`);
  const s = q.toString();
  return s ? `?${s}` : "";
}
