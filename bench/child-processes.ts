import type { ChildProcess } from "node:child_process";

/** A benchmark's child processes (simulator, server, CLI), stopped however the benchmark ends. */
const children = new Set<ChildProcess>();

/** Stops every tracked child still running, newest first (a server before the simulator it calls). */
export function killChildren(): void {
  for (const child of [...children].reverse())
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
}

process.on("exit", killChildren);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    killChildren();
    process.exit(130);
  });

/** Tracks a spawned child until it exits. */
export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}
