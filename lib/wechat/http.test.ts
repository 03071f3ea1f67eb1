import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRANSPORT_ERRCODE, WeChatError } from "./errors";
import { requestJson } from "./http";

let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url?.split("?")[0];
    if (path === "/ok") return res.end(JSON.stringify({ total: 1 }));
    if (path === "/errcode")
      return res.end(JSON.stringify({ errcode: 40013, errmsg: "invalid appid rid: 1" }));
    if (path === "/html") {
      res.writeHead(502, { "content-type": "text/html" });
      return res.end("<html><body>Bad Gateway</body></html>");
    }
    if (path === "/html200") return res.end("<html>maintenance</html>");
    if (path === "/garbage") return res.end('{"total": 1,');
    if (path === "/reset") return req.socket.destroy();
    if (path === "/slow") return void setTimeout(() => res.end("{}"), 2000);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failure(path: string, timeoutMs = 5000): Promise<WeChatError> {
  try {
    await requestJson({
      baseUrl: base,
      path,
      method: "GET",
      query: { access_token: "TOKEN-SECRET" },
      timeoutMs,
    });
  } catch (error) {
    expect(error).toBeInstanceOf(WeChatError);
    expect(String((error as Error).message)).not.toContain("TOKEN-SECRET");
    return error as WeChatError;
  }
  throw new Error("expected a failure");
}

describe("one HTTP exchange with WeChat", () => {
  it("returns JSON on success", async () => {
    expect(await requestJson({ baseUrl: base, path: "/ok", method: "GET", timeoutMs: 5000 })).toEqual({
      total: 1,
    });
  });

  it("turns an errcode into a typed error keeping the raw code", async () => {
    const error = await failure("/errcode");
    expect(error.errcode).toBe(40013);
    expect(error.category).toBe("bad-credentials");
    expect(error.rawMessage).toBe("invalid appid");
  });

  it("turns an HTML error page, HTML with status 200 and broken JSON into typed errors", async () => {
    expect((await failure("/html")).errcode).toBe(TRANSPORT_ERRCODE.http);
    expect((await failure("/html200")).errcode).toBe(TRANSPORT_ERRCODE.badJson);
    const garbage = await failure("/garbage");
    expect(garbage.errcode).toBe(TRANSPORT_ERRCODE.badJson);
    expect(garbage.category).toBe("bad-response");
  });

  it("turns a reset connection and a timeout into retryable errors", async () => {
    const reset = await failure("/reset");
    expect(reset.errcode).toBe(TRANSPORT_ERRCODE.network);
    expect(reset.category).toBe("retry");
    const slow = await failure("/slow", 200);
    expect(slow.errcode).toBe(TRANSPORT_ERRCODE.timeout);
    expect(slow.category).toBe("retry");
  });

  it("does not time out a call answered while this process was blocked past the timeout", async () => {
    const pending = requestJson({ baseUrl: base, path: "/ok", method: "GET", timeoutMs: 500 });
    // Synchronous work longer than the timeout, as a sync writing a large batch of followers does.
    const until = Date.now() + 1500;
    while (Date.now() < until);
    expect(await pending).toEqual({ total: 1 });
  });
});
