import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join, resolve } from "node:path";
import { bootEnvironment } from "./boot";

/**
 * The production entry (`npm start`; also `npm run demo`, the e2e server and bench:push): one plain
 * node:http server on one port. `/api/wechat/<appid>` goes straight to lib/push (no Next routing, about
 * 0.7 ms of CPU per request saved); everything else goes to Next's request handler.
 *
 *   tsx --conditions=react-server scripts/server.ts [--port 3000] [--hostname 0.0.0.0]
 *
 * `npm run dev` stays `next dev`: there the route handler app/api/wechat/[appid] answers with the same code.
 *
 * PORT is read as `next start` reads it. SIGTERM / SIGINT: stop accepting, answer what
 * is in flight (every admitted push after its commit), let profile fetches finish, stop the sync
 * worker, exit.
 */
const ROOT = resolve(__dirname, "..");
const argv = process.argv.slice(2);
const option = (name: string) => {
  const at = argv.indexOf(name);
  return at < 0 ? undefined : argv[at + 1];
};
const PORT = Number(option("--port") ?? process.env.PORT ?? 3000);
/** As `next start -H`: every interface unless given (the HOSTNAME variable is the machine's name). */
const HOSTNAME = option("--hostname");
/** How long shutdown waits for page requests and profile fetches before closing what is left. */
const GRACE_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

type NextFactory = typeof import("next").default;

async function main() {
  // As `next start` does.
  (process.env as Record<string, string>).NODE_ENV = "production";
  await bootEnvironment();
  if (!existsSync(join(ROOT, ".next", "BUILD_ID"))) {
    console.error("UnionView cannot start: there is no production build. Run `npm run build` first.");
    process.exit(1);
  }
  const imported = (await import("next")) as unknown as { default: NextFactory | { default: NextFactory } };
  const next = (
    typeof imported.default === "function" ? imported.default : imported.default.default
  ) as NextFactory;

  const server = createServer();
  const app = next({ dev: false, dir: ROOT, hostname: HOSTNAME, port: PORT, httpServer: server });
  // Runs instrumentation.ts: the startup checks (exit naming the fix), the WAL checkpointer and the sync
  // worker child, once. The push modules are loaded after it: their database connection is the one
  // those checks opened (lib/db keeps it on globalThis, shared with Next's bundle).
  await app.prepare();
  const handle = app.getRequestHandler();
  const { PushGate } = await import("@/lib/push/gate");
  const { appidOfPath } = await import("@/lib/push/http");
  const { pushProfilesIdle } = await import("@/lib/push/endpoint");
  const { stopWorkerProcess } = await import("@/lib/sync/worker-process");
  const gate = new PushGate();
  let stopping = false;

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const appid = appidOfPath(q < 0 ? url : url.slice(0, q));
    if (appid !== null) {
      void gate.handle(req, res, appid, new URLSearchParams(q < 0 ? "" : url.slice(q + 1)));
      return;
    }
    if (stopping) res.setHeader("connection", "close");
    handle(req, res).catch((error: unknown) => {
      console.error(`[UnionView] ${req.method} ${url.split("?")[0]}:`, error);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[UnionView] ${signal}: finishing the requests in flight, then stopping.`);
    gate.close();
    const closed = new Promise<void>((done) => server.close(() => done()));
    server.closeIdleConnections();
    // Keep-alive sockets go idle as their last answers leave (each marked `connection: close`).
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    await gate.drained();
    await Promise.race([pushProfilesIdle(), sleep(GRACE_MS)]);
    await Promise.race([closed, sleep(GRACE_MS)]);
    clearInterval(idleSweep);
    server.closeAllConnections();
    await Promise.race([stopWorkerProcess(), sleep(GRACE_MS)]);
    await app.close?.();
    console.log("[UnionView] stopped.");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(PORT, HOSTNAME, () => done());
  });
  const shown = !HOSTNAME || HOSTNAME === "0.0.0.0" ? "localhost" : HOSTNAME;
  console.log(`UnionView on http://${shown}:${PORT}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
