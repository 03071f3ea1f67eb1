import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface Received {
  id: string;
  type: string;
  body: Record<string, unknown> & { data: Record<string, unknown> };
  verified: boolean;
}

/**
 * A webhook receiver as a customer would write one: verifies each request with the off-the-shelf
 * `standardwebhooks` library and processes each webhook-id once (duplicates are acknowledged, not
 * processed again). `mode` decides what it answers: ok, fail (503), hang (never answers) or a custom
 * handler.
 */
export async function startReceiver(secret: () => string) {
  const all: Received[] = [];
  const processed: Received[] = [];
  const seen = new Set<string>();
  const waiters: (() => void)[] = [];
  const state = {
    mode: "ok" as "ok" | "fail" | "hang" | ((req: IncomingMessage, res: ServerResponse) => void),
  };
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let verified = false;
      try {
        new Webhook(secret()).verify(raw, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      const body = JSON.parse(raw) as Received["body"];
      const entry = { id: String(req.headers["webhook-id"]), type: String(body.type), body, verified };
      all.push(entry);
      for (const w of waiters.splice(0)) w();
      const mode = state.mode;
      if (typeof mode === "function") return mode(req, res);
      if (mode === "hang") return void hanging.push(res);
      if (mode === "fail" || !verified) return res.writeHead(verified ? 503 : 401).end();
      if (!seen.has(entry.id)) {
        seen.add(entry.id);
        processed.push(entry);
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    all,
    processed,
    state,
    /** Resolves once `n` requests (of any outcome) have arrived. */
    waitFor: async (n: number) => {
      while (all.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
