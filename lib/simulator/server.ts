import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { adminPaths, adminRoutes } from "./admin";
import { runApi, type CgiContext, type CgiRoute } from "./cgi";
import { errorBody, SimInputError, WxError } from "./errors";
import { quotaRoutes } from "./handlers/quota";
import { tagRoutes } from "./handlers/tags";
import { claimedAppid, tokenRoutes } from "./handlers/token";
import { userRoutes } from "./handlers/users";
import { BodyTooLargeError, callerIp, readBody, sendJson, sendText } from "./http";
import type { Simulator } from "./simulator";

const cgiRoutes = new Map<string, CgiRoute>(
  [...tokenRoutes, ...userRoutes, ...tagRoutes, ...quotaRoutes].map((route) => [route.path, route]),
);

const BAD_GATEWAY_HTML =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n" +
  "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

const NOT_FOUND = "404 Not Found\n";

async function handleCgi(
  sim: Simulator,
  route: CgiRoute,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) {
  const ctx: CgiContext = {
    sim,
    path: route.path,
    query: url.searchParams,
    rawBody: req.method === "POST" ? await readBody(req) : "",
    ip: callerIp(req),
  };
  const appid =
    route.kind === "credentials" ? claimedAppid(ctx) : sim.tokens.owner(ctx.query.get("access_token"));
  const statsAppid = appid !== null && sim.account(appid) ? appid : null;
  const { latencyMs, action } = sim.faults.match(route.path, appid);
  if (latencyMs > 0) await delay(latencyMs);

  if (action?.kind === "drop") {
    sim.stats.record(statsAppid, route.path, { fault: true });
    req.socket.destroy();
    return;
  }
  if (action?.kind === "html") {
    sim.stats.record(statsAppid, route.path, { fault: true });
    sendText(res, 502, BAD_GATEWAY_HTML, "text/html");
    return;
  }
  if (action?.kind === "badJson") {
    sim.stats.record(statsAppid, route.path, { fault: true });
    sendText(res, 200, '{"errcode":0,"errmsg":"ok","data":{"openid":["o', "application/json");
    return;
  }

  let result: unknown;
  if (action?.kind === "errcode") {
    result = errorBody(action.errcode, action.errmsg);
  } else {
    try {
      result = route.kind === "api" ? runApi(route, ctx) : route.handle(ctx);
    } catch (error) {
      if (!(error instanceof WxError)) throw error;
      result = errorBody(error.errcode, error.message);
    }
  }
  const errcode = (result as { errcode?: number }).errcode;
  sim.stats.record(statsAppid, route.path, { errcode });
  sendJson(res, 200, result);
}

async function handleAdmin(sim: Simulator, req: IncomingMessage, res: ServerResponse, url: URL) {
  const handler = adminRoutes[`${req.method} ${url.pathname}`];
  const json = "application/json; charset=utf-8";
  if (!handler) {
    const known = adminPaths.has(url.pathname);
    sendJson(res, known ? 405 : 404, { error: known ? "method not allowed" : "no such endpoint" }, json);
    return;
  }
  try {
    let body: unknown = {};
    const raw = req.method === "POST" ? await readBody(req) : "";
    if (raw.trim() !== "") {
      try {
        body = JSON.parse(raw);
      } catch {
        throw new SimInputError("the body is not valid JSON");
      }
    }
    sendJson(res, 200, await handler(sim, url.searchParams, body), json);
  } catch (error) {
    if (error instanceof SimInputError || error instanceof BodyTooLargeError) {
      sendJson(res, 400, { error: error.message }, json);
      return;
    }
    throw error;
  }
}

async function handle(sim: Simulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://simulator.local");
  if (url.pathname.startsWith("/__sim/")) return handleAdmin(sim, req, res, url);
  const route = cgiRoutes.get(url.pathname);
  if (!route) return sendText(res, 404, NOT_FOUND);
  try {
    return await handleCgi(sim, route, req, res, url);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return sendText(res, 413, "413 Request Entity Too Large\n");
    throw error;
  }
}

export function createSimulatorServer(sim: Simulator): Server {
  const server = createServer((req, res) => {
    handle(sim, req, res).catch((error: unknown) => {
      console.error("[simulator] request failed:", error);
      if (!res.headersSent) sendText(res, 500, "500 Internal Server Error\n");
      else res.destroy();
    });
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  return server;
}
