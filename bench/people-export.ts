/**
 * Streams the person-level CSV export of every person in a bench database and reports rows, bytes,
 * seconds and peak RSS (the export must not hold the set in memory).
 *
 *   npm run bench:people -- --db FILE          # seed FILE first
 *   npm run bench:people-export -- --db FILE [--rows 2000000]
 */
import { openSqlite } from "@/lib/db/connection";
import { peopleCsvStream } from "@/lib/people/export";
import { DEFAULT_FILTER } from "@/lib/people/filters";

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main() {
  const file = flag("--db");
  const maxRows = Number(flag("--rows") ?? 2_000_000);
  if (!file) throw new Error("Pass --db FILE (a database seeded by npm run bench:people -- --db FILE)");
  const sqlite = openSqlite(file, { cacheKib: 8192 }); // as the export route opens it
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const start = performance.now();
  let bytes = 0;
  let lines = 0;
  const reader = peopleCsvStream(sqlite, { ...DEFAULT_FILTER, status: "all" }).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (const byte of value) if (byte === 10) lines++;
    if (lines - 1 >= maxRows) {
      await reader.cancel();
      break;
    }
  }
  clearInterval(timer);
  const seconds = (performance.now() - start) / 1000;
  const figures = {
    rows: lines - 1,
    megabytes: Number((bytes / 2 ** 20).toFixed(1)),
    seconds: Number(seconds.toFixed(1)),
    rowsPerSecond: Math.round((lines - 1) / seconds),
    startRssMb: Math.round(startRss / 2 ** 20),
    peakRssMb: Math.round(Math.max(peak, process.resourceUsage().maxRSS * 1024) / 2 ** 20),
  };
  console.log(JSON.stringify(figures));
}

void main();
