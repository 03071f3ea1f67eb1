import "server-only";
import type { Statement } from "better-sqlite3";
import { openAccountSecret } from "@/lib/accounts/secret-box";
import { sqlite } from "@/lib/db";
import { clientForAccount } from "@/lib/accounts/wechat-client";
import { errorMessage, logger } from "@/lib/log";
import type { WeChatClient } from "@/lib/wechat/client";
import { PushApplier } from "./apply";
import { GroupCommit } from "./group-commit";
import { ProfileBatcher } from "./profile-batcher";
import { REPLAY_WINDOW_SECONDS, type PushAccount, type ReceiveDeps } from "./receive";
import { SqliteSignedUrls, type SignedUrlBinding } from "./signed-urls";

interface AccountRow {
  id: string;
  slot: number;
  bound: number;
  disabled: number;
  version: number;
  token: string | null;
  aesKey: string | null;
}

export type PushAccountLookup =
  { kind: "ok"; account: PushAccount } | { kind: "unknown" | "disabled" | "no-token" };

interface PushRuntime {
  accountByAppid: Statement;
  commits: GroupCommit;
  batcher: ProfileBatcher<PushAccount>;
  clients: Map<string, { appid: string; client: WeChatClient }>;
  signedUrls: SignedUrlBinding;
  /** Opened secrets per account, valid while secrets_updated_at is unchanged. */
  secrets: Map<string, { version: number; token: string; aesKey: string | null }>;
}

const cache = globalThis as unknown as { __unionviewPush?: { sqlite: unknown; runtime: PushRuntime } };

function runtime(): PushRuntime {
  const connection = sqlite();
  if (cache.__unionviewPush?.sqlite === connection) return cache.__unionviewPush.runtime;
  const applier = new PushApplier(connection);
  const clients = new Map<string, { appid: string; client: WeChatClient }>();
  const batcher = new ProfileBatcher<PushAccount>({
    fetch: (account, openids) => {
      let cached = clients.get(account.id);
      // An edited AppID keeps the sealed secrets (and their version): the client must follow it too.
      if (cached?.appid !== account.appid) {
        const client = clientForAccount(account.id);
        if (!client) return Promise.resolve({ users: [], rejected: openids });
        cached = { appid: account.appid, client };
        clients.set(account.id, cached);
      }
      return cached.client.batchGet(openids);
    },
    mark: () => applier.eventMark(),
    apply: (account, users, mark) => applier.applyProfiles(account, users, mark, Date.now()),
    onError: (account, error) =>
      // The client's errors carry errcode and path, never the token.
      logger().warn({ appid: account.appid, err: errorMessage(error) }, "push: profile fetch failed"),
  });
  const value: PushRuntime = {
    accountByAppid: connection.prepare(
      `SELECT id, slot, bound_to_open_platform AS bound, disabled_at IS NOT NULL AS disabled,
              secrets_updated_at AS version, push_token_sealed AS token, aes_key_sealed AS aesKey
         FROM accounts WHERE appid = ?`,
    ),
    // 5 ms of gathering: a steady 1,000 events/s commits about 5 at a time (see GroupCommit).
    commits: new GroupCommit(applier, 500, 5),
    batcher,
    clients,
    signedUrls: new SqliteSignedUrls(connection, REPLAY_WINDOW_SECONDS),
    secrets: new Map(),
  };
  cache.__unionviewPush = { sqlite: connection, runtime: value };
  return value;
}

/** The account a push URL names, with its push token and EncodingAESKey opened. */
export function pushAccount(appid: string): PushAccountLookup {
  const { accountByAppid, secrets, clients } = runtime();
  const row = accountByAppid.get(appid) as AccountRow | undefined;
  if (!row) return { kind: "unknown" };
  if (row.disabled) return { kind: "disabled" };
  if (!row.token) return { kind: "no-token" };
  let opened = secrets.get(row.id);
  if (opened?.version !== row.version) {
    // Credentials changed: the cached client holds the old sealed AppSecret.
    clients.delete(row.id);
    opened = {
      version: row.version,
      token: openAccountSecret(row.id, "push_token", row.token),
      aesKey: row.aesKey ? openAccountSecret(row.id, "aes_key", row.aesKey) : null,
    };
    secrets.set(row.id, opened);
  }
  return {
    kind: "ok",
    account: {
      id: row.id,
      appid,
      slot: row.slot,
      bound: row.bound === 1,
      token: opened.token,
      aesKey: opened.aesKey,
    },
  };
}

export function pushDeps(): ReceiveDeps {
  const { commits, batcher, signedUrls } = runtime();
  return {
    apply: (item) => commits.apply(item),
    onProfileNeeded: (account, openid) => batcher.enqueue(account, openid),
    signedUrls,
  };
}

/** Resolves once the profile fetches queued after replies are done (the server's shutdown). */
export function pushProfilesIdle(): Promise<void> {
  return cache.__unionviewPush?.runtime.batcher.idle() ?? Promise.resolve();
}
