import type { AddressInfo } from "node:net";
import { createSimulatorServer } from "./server";
import { Simulator } from "./simulator";
import type { SimulatorOptions } from "./options";

export interface RunningSimulator {
  /** Base URL to use as WECHAT_API_BASE, e.g. http://127.0.0.1:4010 (no trailing slash). */
  url: string;
  port: number;
  close(): Promise<void>;
  sim: Simulator;
}

/** Generates the population and listens (port 0 = a free port, host 127.0.0.1 unless given). */
export async function startSimulator(options: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  const sim = new Simulator(options);
  const server = createSimulatorServer(sim);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(sim.options.port, sim.options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = sim.options.host.includes(":") ? `[${sim.options.host}]` : sim.options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    sim,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

export { Simulator } from "./simulator";
export type {
  AccountInfo,
  ChurnRequest,
  ChurnResult,
  ConfigPatch,
  FollowRequest,
  PersonView,
  SimulatorConfig,
  UnfollowRequest,
} from "./simulator";
export { SimInputError, WxError } from "./errors";
export { resolveOptions, DEFAULT_QUOTAS } from "./options";
export type { SimulatorOptions } from "./options";
export type { FaultSpec } from "./faults";
export type { Truth } from "./truth";
export type { StatsSnapshot, PathStats } from "./stats";
export type { PushEvent, PushMode, PushRequest, PushResult, VerifyRequest, VerifyResult } from "./push";
export type { Profile, SubscribedProfile } from "./profile";
