import pino, { type DestinationStream, type Logger } from "pino";
import { prettyLine } from "./pretty";
import { REDACT_PATHS } from "./redact";

/**
 * One logger for the web server, the sync worker child and the CLI (pino). JSON lines in production
 * (`LOG_FORMAT=json`, the default when NODE_ENV=production), one readable line per entry otherwise;
 * the level comes from LOG_LEVEL. Secret-bearing fields are replaced by "[redacted]" wherever they sit
 * (see ./redact.ts), and an Error's message is kept but never the objects hung on it.
 *
 * Give lines context with a child: `log.child({ requestId })`, `{ runId, appid }`.
 */
export type { Logger } from "pino";

const LEVELS = new Set(["debug", "info", "warn", "error", "silent"]);

export interface LogTarget {
  write(line: string): void;
}

interface LogState {
  root: Logger;
  target: LogTarget;
  json: boolean;
}

const cache = globalThis as unknown as { __unionviewLog?: LogState };

function level(): string {
  const wanted = process.env.LOG_LEVEL?.trim().toLowerCase();
  return wanted && LEVELS.has(wanted) ? wanted : "info";
}

function jsonFormat(): boolean {
  const format = process.env.LOG_FORMAT?.trim().toLowerCase();
  if (format === "json") return true;
  if (format === "pretty") return false;
  return process.env.NODE_ENV === "production";
}

function fdTarget(fd: 1 | 2): LogTarget {
  // sonic-boom, synchronous: a line is written before the process can exit, and in order across
  // the server and its worker child (both write to the same inherited stdout).
  return pino.destination({ dest: fd, sync: true });
}

function build(target: LogTarget): LogState {
  const json = jsonFormat();
  const stream: DestinationStream = json
    ? target
    : { write: (line: string) => target.write(prettyLine(line)) };
  const root = pino(
    {
      level: level(),
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    stream,
  );
  return { root, target, json };
}

function state(): LogState {
  cache.__unionviewLog ??= build(fdTarget(1));
  return cache.__unionviewLog;
}

/** The process's root logger. */
export function logger(): Logger {
  return state().root;
}

/** A logger whose lines carry these fields (requestId, runId, appid, component…). */
export function childLogger(bindings: Record<string, unknown>): Logger {
  return state().root.child(bindings);
}

/** Whether lines are JSON (production) or readable (development). */
export function logsAreJson(): boolean {
  return state().json;
}

/**
 * Sends every later line to another target: `"stderr"` for the CLI (its standard output is its
 * answer, e.g. `--json`), or any object with write() (tests read the lines). Returns a function that
 * restores the previous target.
 */
export function setLogTarget(target: "stderr" | "stdout" | LogTarget): () => void {
  const previous = cache.__unionviewLog;
  const next = typeof target === "string" ? fdTarget(target === "stderr" ? 2 : 1) : target;
  cache.__unionviewLog = build(next);
  return () => {
    cache.__unionviewLog = previous;
  };
}

/** An error's message for a log line, without its cause chain or attached objects. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
