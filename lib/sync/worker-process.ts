import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * The web server's sync worker, run as a child process (`scripts/worker.ts` under tsx) rather than on
 * the server's own thread: a sync commits 20,000 profiles per transaction, which would stop every page
 * and push reply for about a second each time. The child is restarted when it dies, told over IPC
 * when a run was queued, and stops when the server goes away (its IPC channel closes, even on SIGKILL).
 */
interface Supervisor {
  child: ChildProcess | null;
  restarts: number;
  /** Every restart since the server started (restarts is reset after a healthy minute). */
  restartsTotal: number;
  stopping: boolean;
}

const cache = globalThis as unknown as { __unionviewWorkerProcess?: Supervisor };

const RESTART_MIN_MS = 1_000;
const RESTART_MAX_MS = 30_000;
/** A child that ran this long before dying is restarted at once again next time. */
const HEALTHY_AFTER_MS = 60_000;

/** Node with tsx's loader (one process, so a signal reaches the worker itself), or null without either. */
function workerCommand(root: string): string[] | null {
  const script = join(root, "scripts", "worker.ts");
  if (!existsSync(join(root, "node_modules", "tsx", "package.json")) || !existsSync(script)) return null;
  return ["--conditions=react-server", "--import", "tsx", script];
}

/** Starts the worker child once per server process; false when this install cannot (no tsx or script). */
export function startWorkerProcess(log: (line: string) => void): boolean {
  if (cache.__unionviewWorkerProcess) return true;
  const root = process.cwd();
  const command = workerCommand(root);
  if (!command) return false;
  const supervisor: Supervisor = { child: null, restarts: 0, restartsTotal: 0, stopping: false };
  cache.__unionviewWorkerProcess = supervisor;

  const launch = () => {
    const startedAt = Date.now();
    const child = spawn(process.execPath, command, {
      cwd: root,
      env: process.env,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    supervisor.child = child;
    child.on("error", (error) => log(`sync worker process: ${error.message}`));
    child.on("exit", (code, signal) => {
      supervisor.child = null;
      if (supervisor.stopping) return;
      if (Date.now() - startedAt > HEALTHY_AFTER_MS) supervisor.restarts = 0;
      const delay = Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** supervisor.restarts++);
      supervisor.restartsTotal++;
      log(
        `sync worker process exited (${signal ?? `code ${code}`}); restarting in ${Math.round(delay / 1000)} s. ` +
          "Its running syncs resume from their checkpoints.",
      );
      setTimeout(launch, delay).unref();
    });
  };
  launch();

  process.once("exit", () => {
    supervisor.stopping = true;
    supervisor.child?.kill("SIGTERM");
  });
  return true;
}

/** Whether this server supervises a worker child, its pid, and how often it restarted it. */
export function workerProcessStats(): { supervised: boolean; pid?: number; restarts: number } {
  const supervisor = cache.__unionviewWorkerProcess;
  return {
    supervised: Boolean(supervisor),
    pid: supervisor?.child?.pid,
    restarts: supervisor?.restartsTotal ?? 0,
  };
}

/** The worker child's pid while one is running. */
export function workerProcessPid(): number | undefined {
  return cache.__unionviewWorkerProcess?.child?.pid;
}

/** Stops the child (SIGTERM: it finishes its current batches) and does not restart it. */
export async function stopWorkerProcess(): Promise<void> {
  const supervisor = cache.__unionviewWorkerProcess;
  if (!supervisor) return;
  supervisor.stopping = true;
  const child = supervisor.child;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  delete cache.__unionviewWorkerProcess;
}

/** Lets a just-queued run start now rather than at the child's next poll; false without a child. */
export function wakeWorkerProcess(): boolean {
  const child = cache.__unionviewWorkerProcess?.child;
  if (!child?.connected) return false;
  child.send({ type: "wake" });
  return true;
}
