import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { killChildren, track } from "../child-processes";

export { killChildren };

/** The bench's child processes (simulator, CLI, the server entry, the echo baseline) and how it talks to them. */
const ROOT = resolve(__dirname, "..", "..");

let serverProcess: ChildProcess | null = null;

export function run(command: string, args: string[], env: NodeJS.ProcessEnv, stdin = ""): Promise<string> {
  return new Promise((done, fail) => {
    const child = track(spawn(command, args, { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] }));
    let out = "";
    let err = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    child.once("close", (code) =>
      code === 0 ? done(out) : fail(new Error(`${command} ${args.join(" ")} exited ${code}: ${err || out}`)),
    );
    child.stdin!.end(stdin);
  });
}

export function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * The simulator's admin API on a fresh connection per call: its follow/unfollow calls are not
 * idempotent, so a kept-alive socket closed under load must not turn into a blind retry.
 */
export function simJson<T>(url: string, path: string, body?: unknown): Promise<T> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((done, fail) => {
    const r = request(
      `${url}${path}`,
      {
        method: payload === undefined ? "GET" : "POST",
        agent: false,
        headers: payload === undefined ? {} : { "content-type": "application/json" },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () =>
          res.statusCode === 200
            ? done(JSON.parse(text) as T)
            : fail(new Error(`${path}: HTTP ${res.statusCode} ${text}`)),
        );
      },
    );
    r.on("error", fail);
    r.end(payload);
  });
}

export async function startSimulator(followers: number): Promise<string> {
  const args = [
    "--import",
    "tsx",
    "lib/simulator/cli.ts",
    "--port",
    "0",
    "--host",
    "127.0.0.1",
    "--seed",
    "3",
  ];
  args.push("--accounts", "3", "--followers", String(followers), "--unbound", "1");
  const child = track(spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] }));
  return new Promise((done, fail) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /WeChat API simulator on (http:\/\/\S+)/.exec(line);
      if (match) done(match[1]!);
    });
    child.once("exit", (code) => fail(new Error(`the simulator exited (${code})`)));
  });
}

/** CPU time (user + system) the process has used, from /proc (Linux), in ms. */
export function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, 100 ticks/s
  } catch {
    return NaN;
  }
}

/** Waits until `url` answers (any status), or throws after 60 s or when the child exits. */
async function waitForHttp(child: ChildProcess, url: string, name: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode})`);
    try {
      await fetch(url);
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`${name} did not answer within 60 s`);
}

/** The production entry (scripts/server.ts, as `npm start`), run by node itself so `pid` is the server's. */
export async function startServer(
  env: NodeJS.ProcessEnv,
  port: number,
  nodeArgs: string[],
): Promise<{ url: string; pid: number }> {
  const args = ["--conditions=react-server", "--import", "tsx", ...nodeArgs, join("scripts", "server.ts")];
  args.push("--hostname", "127.0.0.1", "--port", String(port));
  const child = track(
    spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] }),
  );
  serverProcess = child;
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(child, `${url}/login`, "the server entry");
  return { url, pid: child.pid! };
}

/** The baseline: a bare node:http server that reads each body and answers `success` (bench/push/echo.mjs). */
export async function startEcho(port: number): Promise<{ url: string; pid: number }> {
  const child = track(
    spawn(process.execPath, [join("bench", "push", "echo.mjs"), String(port)], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(child, url, "the echo server");
  return { url, pid: child.pid! };
}

/** The server first, and waits for it: its last profile fetches must not find the simulator gone. */
export async function stopAll(): Promise<void> {
  const server = serverProcess;
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((done) => server.once("exit", done));
    server.kill("SIGTERM");
    await Promise.race([exited, sleep(10_000)]);
  }
  killChildren();
}
