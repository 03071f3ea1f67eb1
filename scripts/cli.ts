import { parseArgs } from "node:util";
import { bootEnvironment } from "./boot";

/**
 * `npm run cli -- <command>`: what cron and operators need, through the same library code as the UI.
 *   accounts list [--json]
 *   accounts add --name N --appid A [--original-id gh_x] [--unbound]   (secrets on stdin: see readSecrets)
 *   sync (--account APPID | --all) [--full]
 *   stats --json
 *   people find <openid|unionid> [--json]
 *   backup <file> [--force]
 *   apikeys create --name N --scopes a,b [--json] · apikeys revoke <id>
 *   webhooks add --url URL --events a,b [--json] · webhooks list [--json]
 */
const USAGE = `Usage:
  npm run cli -- accounts list [--json]
  echo "$APPSECRET" | npm run cli -- accounts add --name N --appid A [--original-id gh_x] [--unbound]
  printf 'appsecret=%s\npush_token=%s\naes_key=%s\n' "$APPSECRET" "$TOKEN" "$AES_KEY" | npm run cli -- accounts add …
  npm run cli -- sync (--account APPID | --all) [--full]
  npm run cli -- stats --json
  npm run cli -- people find <openid|unionid> [--json]
  npm run cli -- backup <file> [--force]
  npm run cli -- apikeys create --name N --scopes identities:read,people:read,audience:read [--json]
  npm run cli -- apikeys revoke <id>
  npm run cli -- webhooks add --url URL --events person.followed,person.unfollowed,person.linked [--json]
  npm run cli -- webhooks list [--json]`;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    fail('Pipe the appsecret on standard input, e.g.  echo "$APPSECRET" | npm run cli -- accounts add …');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").trim();
}

async function boot() {
  await bootEnvironment();
  // Diagnostics (sync lines with run id and appid) go to stderr as log lines; stdout is the answer.
  (await import("@/lib/log")).setLogTarget("stderr");
  const { env } = await import("@/lib/env");
  const { sqlite } = await import("@/lib/db");
  const { pendingMigrations } = await import("@/lib/db/pending-migrations");
  if (pendingMigrations(sqlite()) > 0)
    fail(`The database at ${env().DATABASE_URL} is not migrated: run npm run db:migrate first.`);
}

async function accountsList(json: boolean) {
  const { listAccounts } = await import("@/lib/accounts/queries");
  const { accountSyncState } = await import("@/lib/sync/account-state");
  const states = accountSyncState();
  const rows = listAccounts().map((a) => ({
    appid: a.appid,
    name: a.name,
    originalId: a.originalId,
    bound: a.boundToOpenPlatform,
    enabled: !a.disabledAt,
    followers: states.get(a.id)?.followers ?? 0,
    lastSyncAt: states.get(a.id)?.lastSyncAt?.toISOString() ?? null,
  }));
  if (json) return console.log(JSON.stringify(rows, null, 2));
  if (rows.length === 0) return console.log("No accounts yet. Add one with: npm run cli -- accounts add …");
  for (const r of rows) {
    console.log(
      `${r.appid}  ${r.name}  ${r.bound ? "bound" : "unbound"}  ${r.enabled ? "enabled" : "disabled"}  followers=${r.followers}  lastSync=${r.lastSyncAt ?? "never"}`,
    );
  }
}

const SECRET_LINES = { appsecret: "appsecret", push_token: "pushToken", aes_key: "aesKey" } as const;
type StdinSecrets = Partial<Record<(typeof SECRET_LINES)[keyof typeof SECRET_LINES], string>>;

/**
 * The account's secrets from standard input, never from argv (which every user of the machine can
 * read in `ps`, and which shells keep in their history): either the bare appsecret, or lines
 * `appsecret=…`, `push_token=…`, `aes_key=…`. A refusal names the line, never its value.
 */
function readSecrets(text: string): StdinSecrets | string {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines.filter(Boolean).length <= 1 && !lines.some((l) => l.includes("=")))
    return { appsecret: lines.find(Boolean) ?? "" };
  const secrets: StdinSecrets = {};
  for (const [i, line] of lines.entries()) {
    if (!line) continue;
    const at = line.indexOf("=");
    const name = line.slice(0, Math.max(0, at)).trim();
    const field = Object.hasOwn(SECRET_LINES, name) ? SECRET_LINES[name as keyof typeof SECRET_LINES] : null;
    if (!field)
      return `Standard input line ${i + 1} is not appsecret=…, push_token=… or aes_key=… (its value is not shown).`;
    if (secrets[field] !== undefined) return `Standard input line ${i + 1} gives ${name} a second time.`;
    secrets[field] = line.slice(at + 1).trim();
  }
  return secrets;
}

async function accountsAdd(values: Record<string, string | boolean | undefined>) {
  const { cliAccountSchema } = await import("@/lib/accounts/schema");
  const messages = (await import("@/messages/en.json")).default.accounts.errors as Record<string, string>;
  const secrets = readSecrets(await readStdin());
  if (typeof secrets === "string") fail(secrets);
  for (const [flag, line] of [
    ["push-token", "push_token"],
    ["aes-key", "aes_key"],
  ] as const) {
    if (values[flag] === undefined) continue;
    if (secrets[SECRET_LINES[line]] !== undefined)
      fail(`Give ${line} either on standard input or as --${flag}, not both.`);
    console.error(
      `Warning: --${flag} leaves the secret in the process list and your shell history; pipe it on standard input as a line ${line}=… instead.`,
    );
  }
  const parsed = cliAccountSchema.safeParse({
    name: values.name,
    appid: values.appid,
    originalId: values["original-id"],
    appsecret: secrets.appsecret,
    pushToken: secrets.pushToken ?? values["push-token"],
    aesKey: secrets.aesKey ?? values["aes-key"],
    boundToOpenPlatform: !values.unbound,
  });
  if (!parsed.success) {
    fail(
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${messages[i.message] ?? i.message}`).join("\n"),
    );
  }
  const input = { ...parsed.data, originalId: parsed.data.originalId ?? "" };
  const { addAccount } = await import("@/lib/accounts/create");
  const outcome = await addAccount(input, { actor: null, via: "cli", locale: "en" });
  if (!outcome.ok) {
    if (outcome.problem === "appid-taken") fail(`An account with the appid ${input.appid} already exists.`);
    if (outcome.problem === "too-many") {
      const { MAX_ACCOUNTS } = await import("@/lib/accounts/store");
      fail(messages.tooMany!.replace("{max}", String(MAX_ACCOUNTS)));
    }
    fail(outcome.connection.message);
  }
  console.log(
    outcome.connection.ok
      ? `Added ${input.name} (${input.appid}); connection test passed (${outcome.connection.remain} follower-list calls left today).`
      : `Added ${input.name} (${input.appid}), but the connection test failed: ${outcome.connection.message}`,
  );
}

function bar(share: number, width = 24): string {
  const filled = Math.round(Math.max(0, Math.min(1, share)) * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
}

async function sync(values: Record<string, string | boolean | undefined>) {
  const { sqlite } = await import("@/lib/db");
  const { enqueueSync } = await import("@/lib/sync/queue");
  const { listAccounts } = await import("@/lib/accounts/queries");
  const kind = values.full ? "full" : "incremental";
  const accounts = listAccounts().filter((a) => !a.disabledAt && (values.all || a.appid === values.account));
  if (!values.all && !values.account) fail(USAGE);
  if (accounts.length === 0)
    fail(
      values.all
        ? "There is no enabled account to sync."
        : `No enabled account has the appid ${String(values.account)}.`,
    );
  const runs = accounts.map((a) => ({
    name: a.name,
    ...enqueueSync(sqlite(), { accountId: a.id, kind, triggeredBy: "cli" }),
  }));
  for (const r of runs)
    if (r.alreadyActive) console.error(`${r.name}: a sync is already active (#${r.runId}); following it.`);

  const { startBackgroundWork } = await import("@/lib/startup/worker");
  const worker = startBackgroundWork();
  const status = sqlite().prepare(
    "SELECT status, phase, listed, reported_total AS total, fetched, to_fetch AS toFetch, paused_until AS pausedUntil, error_message AS error FROM sync_runs WHERE id = ?",
  );
  type Row = {
    status: string;
    phase: string;
    listed: number;
    total: number | null;
    fetched: number;
    toFetch: number;
    pausedUntil: number | null;
    error: string | null;
  };
  const render = () =>
    runs
      .map((r) => {
        const row = status.get(r.runId) as Row;
        const share =
          row.phase === "listing"
            ? row.listed / Math.max(1, row.total ?? 1)
            : row.fetched / Math.max(1, row.toFetch);
        const detail =
          row.phase === "listing"
            ? `${row.listed}/${row.total ?? "?"} listed`
            : `${row.fetched}/${row.toFetch} profiles`;
        return `${bar(row.status === "done" ? 1 : share)} ${r.name} #${r.runId} ${row.status} ${row.status === "running" ? `${row.phase} ${detail}` : ""}`;
      })
      .join("\n");
  const finished = () =>
    runs.every((r) => !["queued", "running"].includes((status.get(r.runId) as Row).status));
  const tty = process.stderr.isTTY;
  let lines = 0;
  while (!finished()) {
    const text = render();
    if (tty && lines) process.stderr.write(`\x1b[${lines}A\x1b[0J`);
    if (tty) process.stderr.write(`${text}\n`);
    lines = text.split("\n").length;
    await new Promise((r) => setTimeout(r, 500));
  }
  await worker.stop();
  let ok = true;
  for (const r of runs) {
    const row = status.get(r.runId) as Row;
    const counts = sqlite()
      .prepare(
        "SELECT new_followers AS n, returned AS r, updated AS u, unfollowed AS x, rejected AS j, api_calls AS c FROM sync_runs WHERE id = ?",
      )
      .get(r.runId) as { n: number; r: number; u: number; x: number; j: number; c: number };
    const summary = `new ${counts.n}, returned ${counts.r}, updated ${counts.u}, unfollowed ${counts.x}, rejected ${counts.j}, ${counts.c} API calls`;
    if (row.status === "done") console.log(`${r.name} #${r.runId}: done (${summary})`);
    else {
      ok = false;
      const extra =
        row.status === "paused" && row.pausedUntil ? ` until ${new Date(row.pausedUntil).toISOString()}` : "";
      console.log(
        `${r.name} #${r.runId}: ${row.status}${extra}${row.error ? `: ${row.error}` : ""} (${summary})`,
      );
    }
  }
  process.exit(ok ? 0 : 1);
}

/** A consistent copy of the database while the app runs (SQLite's online backup), checked before it is kept. */
async function backup(file: string | undefined, force: boolean) {
  if (!file) fail("Usage: npm run cli -- backup <file> [--force]");
  const { env } = await import("@/lib/env");
  const { backupDatabase } = await import("@/lib/db/backup");
  const result = await backupDatabase(env().DATABASE_URL, file, { overwrite: force });
  // Recorded after the copy (so not in it): the System page shows the last one.
  const { recordAudit } = await import("@/lib/audit/record");
  recordAudit({
    actor: null,
    action: "system.backup",
    details: { via: "cli", file: result.file, bytes: result.bytes, pages: result.pages },
  });
  console.log(
    `Backed up ${env().DATABASE_URL} to ${result.file}: ${result.pages} pages, ${(result.bytes / 1048576).toFixed(1)} MB in ${(result.ms / 1000).toFixed(1)} s; integrity check ok.`,
  );
}

/** Prints the person an openid (of any account) or a unionid belongs to; exit 1 when no one has it. */
async function peopleFind(id: string | undefined, json: boolean) {
  if (!id) fail("Usage: npm run cli -- people find <openid|unionid> [--json]");
  const { sqlite } = await import("@/lib/db");
  const { findPersonById } = await import("@/lib/people/search");
  const { personDetail } = await import("@/lib/people/person");
  const found = findPersonById(sqlite(), id.trim());
  const person = found && personDetail(sqlite(), found.personId);
  if (!person) fail("not found");
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const out = {
    personId: person.id,
    unionid: person.unionid,
    matchedBy: found.via,
    follows: person.follows.map((f) => ({
      appid: f.appid,
      account: f.accountName,
      openid: f.openid,
      subscribed: f.subscribed,
      subscribeTime: f.subscribeTime === null ? null : iso(f.subscribeTime * 1000),
      unsubscribedAt: iso(f.unsubscribedAt),
      remark: f.remark,
      tags: f.tags,
      subscribeScene: f.subscribeScene,
      qrScene: f.qrSceneStr || f.qrScene || null,
      language: f.language,
    })),
  };
  if (json) return console.log(JSON.stringify(out));
  console.log(`${out.unionid ?? "(no UnionID)"}  person #${out.personId}`);
  for (const f of out.follows) {
    const status = f.subscribed
      ? `following since ${f.subscribeTime ?? "?"}`
      : `left ${f.unsubscribedAt ?? ""}`;
    console.log(
      `  ${f.account} (${f.appid})  ${f.openid}  ${status}${f.remark ? `  remark: ${f.remark}` : ""}`,
    );
  }
}

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** Prints a new key once (the database keeps only its hash); the audit log names the CLI as actor. */
async function apikeysCreate(values: { name?: string; scopes?: string; json?: boolean }) {
  const { createApiKey, createApiKeySchema } = await import("@/lib/apikeys/keys");
  const { API_SCOPES } = await import("@/lib/apikeys/scopes");
  const parsed = createApiKeySchema.safeParse({ name: values.name ?? "", scopes: list(values.scopes) });
  if (!parsed.success)
    fail(
      `Give the key a name (--name) and one or more scopes (--scopes), from: ${API_SCOPES.join(", ")}.\n${USAGE}`,
    );
  const created = createApiKey(parsed.data, { id: null, email: "cli" });
  if (values.json) return console.log(JSON.stringify({ id: created.id, key: created.key }));
  console.log(`API key #${created.id} "${parsed.data.name}" (${parsed.data.scopes.join(", ")}):`);
  console.log(created.key);
  console.error("It is shown only this once: store it now.");
}

async function apikeysRevoke(id: string | undefined) {
  const { revokeApiKey } = await import("@/lib/apikeys/keys");
  const n = Number(id);
  if (!Number.isInteger(n) || n <= 0)
    fail("Usage: npm run cli -- apikeys revoke <id>  (the id apikeys create printed)");
  const outcome = revokeApiKey(n, { id: null, email: "cli" });
  if (outcome === "missing") fail(`There is no API key #${n}.`);
  console.log(outcome === "already" ? `API key #${n} was already revoked.` : `API key #${n} is revoked.`);
}

/** Registers an endpoint and prints its signing secret once (sealed in the database, never logged). */
async function webhooksAdd(values: { url?: string; events?: string; json?: boolean }) {
  const { createWebhook, createWebhookSchema } = await import("@/lib/webhooks/endpoints");
  const { WEBHOOK_EVENTS } = await import("@/lib/webhooks/events");
  const parsed = createWebhookSchema.safeParse({ url: values.url ?? "", events: list(values.events) });
  if (!parsed.success) {
    const problem = parsed.error.issues[0]?.message;
    const why =
      problem === "urlScheme"
        ? "Only http:// and https:// URLs can receive webhooks."
        : problem?.startsWith("url")
          ? "Give the endpoint's URL with --url, e.g. https://crm.example.com/hooks (no user name or password in it)."
          : `Give one or more events with --events, from: ${WEBHOOK_EVENTS.join(", ")}.`;
    fail(`${why}\n${USAGE}`);
  }
  const created = await createWebhook(parsed.data, { id: null, email: "cli" });
  if (!created.ok)
    fail(
      created.reason === "private"
        ? "This URL points at a loopback or private-network address, which webhooks may not reach. Set UNIONVIEW_WEBHOOK_ALLOW_PRIVATE=1 to allow it (tests, the demo, an intranet system)."
        : "The URL's host name could not be resolved; check it for typos.",
    );
  if (values.json) return console.log(JSON.stringify({ id: created.id, secret: created.secret }));
  console.log(
    `Webhook #${created.id} → ${parsed.data.url} (${parsed.data.events.join(", ")}); signing secret:`,
  );
  console.log(created.secret);
  console.error("It is shown only this once: give it to the receiver now.");
}

async function webhooksList(json: boolean) {
  const { listWebhooks } = await import("@/lib/webhooks/queries");
  const rows = listWebhooks().map((w) => ({
    id: w.id,
    url: w.url,
    events: w.events,
    pending: w.pending,
    lastDelivery: w.lastDelivery?.status ?? null,
  }));
  if (json) return console.log(JSON.stringify(rows, null, 2));
  if (rows.length === 0) return console.log("No webhooks yet. Add one with: npm run cli -- webhooks add …");
  for (const r of rows)
    console.log(
      `#${r.id}  ${r.url}  ${r.events.join(",")}  waiting=${r.pending}  last=${r.lastDelivery ?? "none"}`,
    );
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: "boolean" },
      name: { type: "string" },
      appid: { type: "string" },
      "original-id": { type: "string" },
      "push-token": { type: "string" },
      "aes-key": { type: "string" },
      unbound: { type: "boolean" },
      account: { type: "string" },
      all: { type: "boolean" },
      full: { type: "boolean" },
      force: { type: "boolean" },
      scopes: { type: "string" },
      url: { type: "string" },
      events: { type: "string" },
    },
  });
  const [command, sub] = positionals;
  if (!command) fail(USAGE);
  await boot();
  if (command === "accounts" && sub === "list") return accountsList(Boolean(values.json));
  if (command === "accounts" && sub === "add") return accountsAdd(values);
  if (command === "sync") return sync(values);
  if (command === "people" && sub === "find") return peopleFind(positionals[2], Boolean(values.json));
  if (command === "backup") return backup(sub, Boolean(values.force));
  if (command === "apikeys" && sub === "create") return apikeysCreate(values);
  if (command === "apikeys" && sub === "revoke") return apikeysRevoke(positionals[2]);
  if (command === "webhooks" && sub === "add") return webhooksAdd(values);
  if (command === "webhooks" && sub === "list") return webhooksList(Boolean(values.json));
  if (command === "stats") {
    const { sqlite } = await import("@/lib/db");
    const { audienceStats } = await import("@/lib/analytics/stats");
    return console.log(JSON.stringify(audienceStats(sqlite()), null, values.json ? 0 : 2));
  }
  fail(USAGE);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
