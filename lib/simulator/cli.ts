import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startSimulator } from "./index";
import type { SimulatorOptions } from "./options";

const USAGE = `Usage: npm run simulator -- [--port 4010] [--host 127.0.0.1] [--seed 1] [--accounts 4]
  [--followers 3000 | 5000,3000,2000,800] [--overlap 0.35] [--no-unionid 0.05] [--unsubscribed 0.1]
  [--unbound 1] [--page-size 10000] [--token-overlap 300] [--scenario path.json]
A scenario file holds any of these options (camelCase, plus quotas, perMinute, ipWhitelist, blocked,
noPermission and faults); flags given on the command line win.`;

function number(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value))
    throw new Error(`--${name} expects a number, got "${raw}"`);
  return value;
}

function parseCli(argv: string[]): Partial<SimulatorOptions> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      seed: { type: "string" },
      accounts: { type: "string" },
      followers: { type: "string" },
      overlap: { type: "string" },
      "no-unionid": { type: "string" },
      unsubscribed: { type: "string" },
      unbound: { type: "string" },
      "page-size": { type: "string" },
      "token-overlap": { type: "string" },
      scenario: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const scenario: Partial<SimulatorOptions> = values.scenario
    ? (JSON.parse(readFileSync(values.scenario, "utf8")) as Partial<SimulatorOptions>)
    : {};
  const followers = values.followers?.includes(",")
    ? values.followers.split(",").map((n) => number("followers", n) as number)
    : number("followers", values.followers);
  const flags: Partial<SimulatorOptions> = {
    port: number("port", values.port),
    host: values.host,
    seed: number("seed", values.seed),
    accounts: number("accounts", values.accounts),
    followers,
    overlap: number("overlap", values.overlap),
    noUnionid: number("no-unionid", values["no-unionid"]),
    unsubscribed: number("unsubscribed", values.unsubscribed),
    unbound: number("unbound", values.unbound),
    pageSize: number("page-size", values["page-size"]),
    tokenOverlapSeconds: number("token-overlap", values["token-overlap"]),
  };
  const merged: Partial<SimulatorOptions> = { port: 4010, ...scenario };
  for (const [key, value] of Object.entries(flags)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

async function main(): Promise<void> {
  let options: Partial<SimulatorOptions>;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const started = performance.now();
  const running = await startSimulator(options);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const { sim, url } = running;
  const truth = sim.truth();
  console.log(`WeChat API simulator on ${url}  (seed ${sim.options.seed}, ready in ${seconds} s)`);
  console.log(`  WECHAT_API_BASE=${url}`);
  console.log(
    `  ${truth.summedFollows} follows, ${truth.uniquePeople} people with a unionid, ` +
      `${truth.followersWithoutUnionid} follows without one`,
  );
  truth.accounts.forEach((row, i) => {
    const account = sim.accounts()[i];
    if (!account) return;
    console.log(
      `  ${account.name}  appid ${account.appid}  secret ${account.secret}  ` +
        `${account.bound ? "bound" : "unbound"}  ${row.subscribed} followers`,
    );
  });
  console.log(
    `  push token, EncodingAESKey: GET ${url}/__sim/accounts · ground truth: GET ${url}/__sim/truth`,
  );

  const stop = (signal: string) => {
    console.log(`\n${signal}: closing the simulator`);
    running.close().finally(() => process.exit(0));
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
