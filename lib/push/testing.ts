import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startSimulator, type AccountInfo, type SimulatorOptions } from "@/lib/simulator";
import { syncOnce } from "@/lib/sync/testing";
import { testClient } from "@/lib/wechat/testing";
import { PushApplier } from "./apply";
import { GroupCommit } from "./group-commit";
import { ProfileBatcher } from "./profile-batcher";
import { receivePush, verifyEcho, type PushAccount, type ReceiveDeps } from "./receive";
import { simAdmin } from "@/lib/simulator/testing";
import { accountsFixture } from "@/lib/testing/temp-db";

/**
 * The push route's work without Next: a node:http server answering /api/wechat/<appid> with
 * receivePush over a sync fixture's database, fetching profiles from the simulator.
 */
export async function startPushReceiver(
  fixture: ReturnType<typeof accountsFixture>,
  simUrl: string,
  simAccounts: AccountInfo[],
  /** onProfileError: what a failed profile fetch does (default: throw, so a test notices it). */
  options: { withoutAesKey?: string[]; onProfileError?: (error: unknown) => void } = {},
) {
  const accounts = new Map<string, PushAccount>();
  simAccounts.forEach((a, slot) =>
    accounts.set(a.appid, {
      id: fixture.ids.get(a.appid)!,
      appid: a.appid,
      slot,
      bound: a.bound,
      token: a.pushToken,
      aesKey: options.withoutAesKey?.includes(a.appid) ? null : a.encodingAESKey,
    }),
  );
  const applier = new PushApplier(fixture.sqlite);
  const secrets = new Map(simAccounts.map((a) => [a.appid, a.secret]));
  const batcher = new ProfileBatcher<PushAccount>({
    delayMs: 20,
    fetch: (account, openids) =>
      testClient(fixture.db, simUrl, { appid: account.appid, secret: secrets.get(account.appid)! }).batchGet(
        openids,
      ),
    mark: () => applier.eventMark(),
    apply: (account, users, mark) => applier.applyProfiles(account, users, mark, Date.now()),
    onError: (_account, error) => {
      if (options.onProfileError) return options.onProfileError(error);
      throw error;
    },
  });
  // The server's path: events applied by group commit.
  const commits = new GroupCommit(applier);
  const deps: ReceiveDeps = {
    apply: (item) => commits.apply(item),
    onProfileNeeded: (account, openid) => batcher.enqueue(account, openid),
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const account = accounts.get(url.pathname.split("/").pop() ?? "");
    if (!account) return res.writeHead(404).end();
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const reply =
        req.method === "GET"
          ? verifyEcho(account, url.searchParams)
          : await receivePush(
              account,
              url.searchParams,
              Buffer.concat(chunks).toString("utf8"),
              Date.now(),
              deps,
            );
      res.writeHead(reply.status, { "content-type": "text/plain" }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/wechat/`;
  return {
    url: (appid: string) => base + appid,
    accounts,
    applier,
    batcher,
    deps,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A simulator, its accounts fully synced into a fixture database, and a push receiver in front of it. */
export async function syncedPushFixture(options: Partial<SimulatorOptions>) {
  const sim = await startSimulator({ port: 0, ...options });
  const admin = <T>(path: string, body?: unknown) => simAdmin<T>(sim.url, path, body);
  const accounts = await admin<AccountInfo[]>("/__sim/accounts");
  const fixture = accountsFixture(accounts);
  for (const account of accounts) await syncOnce(fixture, sim.url, account, "full");
  const receiver = await startPushReceiver(fixture, sim.url, accounts);
  return {
    sim,
    admin,
    accounts,
    fixture,
    receiver,
    close: async () => {
      await receiver.close();
      fixture.cleanup();
      await sim.close();
    },
  };
}
