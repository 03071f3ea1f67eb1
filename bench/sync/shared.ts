/** Helpers shared by bench/sync.ts (the orchestrator) and bench/sync/phase.ts (one measured phase). */

export interface SimAccount {
  appid: string;
  secret: string;
  name: string;
  bound: boolean;
}

export const MB = 1024 * 1024;

/** The phase child prints its figures as one line starting with this marker, last. */
export const RESULT_MARKER = "@@bench-result ";

/** JSON to and from the simulator's admin endpoints (and its cgi endpoints, for the plain-fetch floor). */
export async function simJson<T>(baseUrl: string, path: string, body?: unknown): Promise<T> {
  const send = () =>
    fetch(`${baseUrl}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  let response: Response;
  try {
    response = await send();
  } catch {
    // A kept-alive socket the server closed while this process was busy in SQLite: once more, fresh.
    response = await send();
  }
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Peak RSS of this process: sampled every 50 ms, and the kernel's own high-water mark. */
export class RssSampler {
  private peak = 0;
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    this.peak = process.memoryUsage().rss;
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage().rss);
    }, 50);
  }

  stop(): { sampledMb: number; maxRssMb: number } {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
    // resourceUsage().maxRSS is in kilobytes; the process is fresh, so it is this phase's peak.
    return { sampledMb: this.peak / MB, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  }
}

/** Runs `task` for each item with at most `limit` running at once (a fixed pool, no batch barrier). */
export async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const seconds = (startedMs: number) => (performance.now() - startedMs) / 1000;
