/**
 * Development format: `12:03:04.567 INFO  sync run started  runId=12 appid=wx…`. Takes pino's JSON
 * line (already redacted) and returns one readable line.
 */
const OMIT = new Set(["level", "time", "msg", "pid", "hostname"]);

export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry.time === "string" ? entry.time.slice(11, 23) : "";
  const level = String(entry.level ?? "")
    .toUpperCase()
    .padEnd(5);
  const fields = Object.entries(entry)
    .filter(([k]) => !OMIT.has(k))
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
  return `${time} ${level} ${entry.msg ?? ""}${fields.length ? "  " + fields.join(" ") : ""}\n`;
}
