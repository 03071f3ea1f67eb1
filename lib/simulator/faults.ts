import type { Rng } from "./prng";

export interface FaultSpec {
  /** A /cgi-bin path, or "*" for all of them. */
  path: string;
  /** Only calls made for this account. */
  appid?: string;
  /** Answer with this WeChat errcode (HTTP 200 JSON). */
  errcode?: number;
  errmsg?: string;
  /** Fire on the Nth matching call after the fault was installed (1-based). */
  atCall?: number;
  /** Fire on every Nth matching call. */
  everyNth?: number;
  /** Fire with this probability (seeded, so a run repeats). */
  rate?: number;
  /** Delay the answer (combines with any other effect). */
  latencyMs?: number;
  /** Destroy the socket without an answer. */
  drop?: boolean;
  /** Answer HTTP 502 with an nginx-style HTML page. */
  html?: boolean;
  /** Answer HTTP 200 with truncated JSON. */
  badJson?: boolean;
  /** Stop after firing this many times. */
  times?: number;
}

export type FaultAction =
  | { kind: "drop" }
  | { kind: "html" }
  | { kind: "badJson" }
  | { kind: "errcode"; errcode: number; errmsg?: string };

interface ActiveFault {
  id: number;
  spec: FaultSpec;
  calls: number;
  fired: number;
}

/** Conditions (atCall, everyNth, rate) must all hold when several are given; none means every call. */
export class FaultBook {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  constructor(private readonly rng: Rng) {}

  add(spec: FaultSpec): number {
    validateFault(spec);
    const id = this.nextId++;
    this.faults.push({ id, spec: { ...spec }, calls: 0, fired: 0 });
    return id;
  }

  clear(): void {
    this.faults = [];
  }

  list(): Array<FaultSpec & { id: number; calls: number; fired: number }> {
    return this.faults.map((f) => ({ ...f.spec, id: f.id, calls: f.calls, fired: f.fired }));
  }

  /** Counts the call against every matching fault; returns the total delay and the first action that fired. */
  match(path: string, appid: string | null): { latencyMs: number; action: FaultAction | null } {
    let latencyMs = 0;
    let action: FaultAction | null = null;
    for (const fault of this.faults) {
      const { spec } = fault;
      if (spec.path !== "*" && spec.path !== path) continue;
      if (spec.appid !== undefined && spec.appid !== appid) continue;
      if (spec.times !== undefined && fault.fired >= spec.times) continue;
      fault.calls++;
      if (spec.atCall !== undefined && fault.calls !== spec.atCall) continue;
      if (spec.everyNth !== undefined && fault.calls % spec.everyNth !== 0) continue;
      if (spec.rate !== undefined && !(this.rng.next() < spec.rate)) continue;
      fault.fired++;
      latencyMs += spec.latencyMs ?? 0;
      action ??= actionOf(spec);
    }
    return { latencyMs, action };
  }
}

function actionOf(spec: FaultSpec): FaultAction | null {
  if (spec.drop) return { kind: "drop" };
  if (spec.html) return { kind: "html" };
  if (spec.badJson) return { kind: "badJson" };
  if (spec.errcode !== undefined) return { kind: "errcode", errcode: spec.errcode, errmsg: spec.errmsg };
  return null;
}

function validateFault(spec: FaultSpec): void {
  const fail = (message: string): never => {
    throw new TypeError(`fault: ${message}`);
  };
  if (typeof spec !== "object" || spec === null) fail("expected an object");
  if (typeof spec.path !== "string" || (spec.path !== "*" && !spec.path.startsWith("/")))
    fail('path must be a /cgi-bin path or "*"');
  const positiveInt = (value: unknown) =>
    value === undefined || (Number.isInteger(value) && Number(value) >= 1);
  if (!positiveInt(spec.atCall)) fail("atCall must be an integer >= 1");
  if (!positiveInt(spec.everyNth)) fail("everyNth must be an integer >= 1");
  if (!positiveInt(spec.times)) fail("times must be an integer >= 1");
  if (spec.rate !== undefined && !(typeof spec.rate === "number" && spec.rate >= 0 && spec.rate <= 1))
    fail("rate must be in [0, 1]");
  if (spec.latencyMs !== undefined && !(typeof spec.latencyMs === "number" && spec.latencyMs >= 0))
    fail("latencyMs must be >= 0");
  if (spec.errcode !== undefined && !Number.isInteger(spec.errcode)) fail("errcode must be an integer");
  if (spec.appid !== undefined && typeof spec.appid !== "string") fail("appid must be a string");
  if (!actionOf(spec) && !spec.latencyMs) fail("give errcode, drop, html, badJson or latencyMs");
}
