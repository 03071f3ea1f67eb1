import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { createApiKey, revokeApiKey } from "@/lib/apikeys/keys";
import { listApiKeys, unknownKeyRefusalsToday } from "@/lib/apikeys/queries";
import type { ApiScope } from "@/lib/apikeys/scopes";
import { db, schema, sqlite } from "@/lib/db";
import { FollowerWriter, type BatchCounts } from "@/lib/followers/writer";
import { audienceStats } from "@/lib/analytics/stats";
import { addTestAccount, useTempDatabase } from "@/lib/testing/temp-db";
import type { UserInfo } from "@/lib/wechat/schemas";
import { flushApiUsage } from "./handler";
import { openApiDocument } from "./openapi";

const identity = await import("@/app/api/v1/identities/[appid]/[openid]/route");
const resolve = await import("@/app/api/v1/identities/resolve/route");
const person = await import("@/app/api/v1/people/[unionid]/route");
const audience = await import("@/app/api/v1/audience/route");
const openapi = await import("@/app/api/v1/openapi.json/route");

const ALL: ApiScope[] = ["identities:read", "people:read", "audience:read"];
let cleanup: () => void;
let key: string;

const user = (openid: string, unionid: string | undefined, time = 1_700_000_000): UserInfo => ({
  subscribe: 1,
  openid,
  unionid,
  language: "zh_CN",
  subscribe_time: time,
  subscribe_scene: "ADD_SCENE_SEARCH",
  tagid_list: [],
  remark: "",
});

/** Two bound accounts: Li follows both, Wang only A and then leaves; C is not bound (no unionid). */
function seed() {
  const ids = ["wxaaaaaaaaaaaaaaaa", "wxbbbbbbbbbbbbbbbb", "wxcccccccccccccccc"].map((appid) =>
    addTestAccount(appid),
  );
  sqlite().prepare("UPDATE accounts SET bound_to_open_platform = 0 WHERE id = ?").run(ids[2]);
  const slots = sqlite().prepare("SELECT id, slot FROM accounts").all() as { id: string; slot: number }[];
  const ref = (i: number) => ({ id: ids[i]!, slot: slots.find((s) => s.id === ids[i])!.slot, bound: i < 2 });
  const write = (i: number, users: UserInfo[], unfollow: string[] = []) => {
    const writer = new FollowerWriter(sqlite(), ref(i), () => 1_750_000_000_000);
    const counts: BatchCounts = { newFollowers: 0, returned: 0, updated: 0, unfollowed: 0 };
    sqlite().transaction(() => {
      writer.applyProfiles(users, counts);
      writer.markUnfollowed(unfollow, counts);
      writer.flush();
    })();
  };
  write(0, [
    user("oA_li_000000000000000000001", "uLi0000000000000000000000001"),
    user("oA_wang_00000000000000000001", "uWang000000000000000000000001"),
  ]);
  write(1, [user("oB_li_000000000000000000001", "uLi0000000000000000000000001", 1_710_000_000)]);
  write(2, [user("oC_zhao_00000000000000000001", undefined)]);
  write(0, [], ["oA_wang_00000000000000000001"]);
}

const get = (path: string, auth: string | null = key) =>
  new Request(`http://localhost${path}`, {
    headers: auth === null ? {} : { authorization: `Bearer ${auth}` },
  });
const post = (path: string, body: string, auth: string | null = key) =>
  new Request(`http://localhost${path}`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      ...(auth === null ? {} : { authorization: `Bearer ${auth}` }),
    },
  });
const params = <T>(value: T) => ({ params: Promise.resolve(value) });
const lookup = (appid: string, openid: string, auth: string | null = key) =>
  identity.GET(get(`/api/v1/identities/${appid}/${openid}`, auth), params({ appid, openid }));

beforeEach(() => {
  cleanup = useTempDatabase();
  delete process.env.UNIONVIEW_API_RATE;
  delete process.env.UNIONVIEW_API_BURST;
  seed();
  key = createApiKey({ name: "CRM", scopes: ALL }, null).key;
});
afterEach(() => cleanup());

describe("GET /api/v1/identities/{appid}/{openid}", () => {
  it("answers the person behind an openid with their openid in every account", async () => {
    const response = await lookup("wxbbbbbbbbbbbbbbbb", "oB_li_000000000000000000001");
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ unionid: "uLi0000000000000000000000001", personId: expect.any(Number) });
    expect(body.accounts).toEqual([
      {
        appid: "wxaaaaaaaaaaaaaaaa",
        name: "wxaaaaaaaaaaaaaaaa",
        openid: "oA_li_000000000000000000001",
        subscribed: true,
        subscribeTime: new Date(1_700_000_000_000).toISOString(),
        unsubscribedAt: null,
      },
      {
        appid: "wxbbbbbbbbbbbbbbbb",
        name: "wxbbbbbbbbbbbbbbbb",
        openid: "oB_li_000000000000000000001",
        subscribed: true,
        subscribeTime: new Date(1_710_000_000_000).toISOString(),
        unsubscribedAt: null,
      },
    ]);
  });

  it("shows a follower who left as not subscribed, and one of an unbound account without unionid", async () => {
    const wang = await (await lookup("wxaaaaaaaaaaaaaaaa", "oA_wang_00000000000000000001")).json();
    expect(wang.accounts).toEqual([
      expect.objectContaining({
        subscribed: false,
        unsubscribedAt: new Date(1_750_000_000_000).toISOString(),
      }),
    ]);
    const zhao = await (await lookup("wxcccccccccccccccc", "oC_zhao_00000000000000000001")).json();
    expect(zhao).toMatchObject({ unionid: null, accounts: [expect.objectContaining({ subscribed: true })] });
  });

  it("404 not_found for an unknown openid, an openid of another account, or an unknown appid", async () => {
    for (const [appid, openid] of [
      ["wxaaaaaaaaaaaaaaaa", "oA_nobody_0000000000000000001"],
      ["wxbbbbbbbbbbbbbbbb", "oA_li_000000000000000000001"],
      ["wxdddddddddddddddd", "oA_li_000000000000000000001"],
    ] as const) {
      const response = await lookup(appid, openid);
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe("not_found");
    }
  });

  it("400 invalid_request for an openid that cannot be one", async () => {
    const response = await lookup("wxaaaaaaaaaaaaaaaa", "o'; DROP TABLE people;--");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "invalid_request", message: expect.stringMatching(/openid/) },
    });
  });
});

describe("POST /api/v1/identities/resolve", () => {
  it("answers in the order asked, null for unknown ones", async () => {
    const response = await resolve.POST(
      post(
        "/api/v1/identities/resolve",
        JSON.stringify({
          openids: [
            { appid: "wxcccccccccccccccc", openid: "oC_zhao_00000000000000000001" },
            { appid: "wxaaaaaaaaaaaaaaaa", openid: "oA_nobody_0000000000000000001" },
            { appid: "wxaaaaaaaaaaaaaaaa", openid: "oA_li_000000000000000000001" },
            { appid: "wxbbbbbbbbbbbbbbbb", openid: "oB_li_000000000000000000001" },
          ],
        }),
      ),
    );
    expect(response.status).toBe(200);
    const { results } = await response.json();
    expect(results.map((r: { unionid: string | null } | null) => r && r.unionid)).toEqual([
      null,
      null,
      "uLi0000000000000000000000001",
      "uLi0000000000000000000000001",
    ]);
    expect(results[0]).not.toBeNull();
    expect(results[1]).toBeNull();
  });

  it("takes 1,000 and refuses 1,001, none, a malformed item, malformed JSON (400) and > 1 MB (413)", async () => {
    const item = { appid: "wxaaaaaaaaaaaaaaaa", openid: "oA_li_000000000000000000001" };
    const ok = await resolve.POST(post("/", JSON.stringify({ openids: Array(1000).fill(item) })));
    expect(ok.status).toBe(200);
    expect((await ok.json()).results).toHaveLength(1000);
    for (const body of [
      JSON.stringify({ openids: Array(1001).fill(item) }),
      JSON.stringify({ openids: [] }),
      JSON.stringify({ openids: [item, { appid: "wxaaaaaaaaaaaaaaaa" }] }),
      JSON.stringify({ openids: [{ ...item, extra: 1 }] }),
      "{not json",
    ]) {
      const response = await resolve.POST(post("/", body));
      expect(response.status, body.slice(0, 40)).toBe(400);
      expect((await response.json()).error.code).toBe("invalid_request");
    }
    const huge = JSON.stringify({ openids: [item], pad: "x".repeat(1024 * 1024) });
    const tooLarge = await resolve.POST(post("/", huge));
    expect(tooLarge.status).toBe(413);
    expect((await tooLarge.json()).error.code).toBe("payload_too_large");
  });
});

describe("GET /api/v1/people/{unionid} and /api/v1/audience", () => {
  it("answers a person by unionid in the identity shape, 404 for an unknown one", async () => {
    const byOpenid = await (await lookup("wxaaaaaaaaaaaaaaaa", "oA_li_000000000000000000001")).json();
    const response = await person.GET(get("/"), params({ unionid: "uLi0000000000000000000000001" }));
    expect(await response.json()).toEqual(byOpenid);
    const missing = await person.GET(get("/"), params({ unionid: "uNobody00000000000000000000001" }));
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe("not_found");
  });

  it("audience has the figures of stats --json", async () => {
    const response = await audience.GET(get("/api/v1/audience"));
    const body = await response.json();
    expect(body).toEqual(audienceStats(sqlite()));
    expect(body.uniquePeople).toBe(2);
  });
});

describe("keys, scopes and limits", () => {
  it("401 unauthorized without a key, with an unknown or malformed key, and once the key is revoked", async () => {
    const created = createApiKey({ name: "Desk", scopes: ["identities:read"] }, null);
    expect((await lookup("wxaaaaaaaaaaaaaaaa", "oA_li_000000000000000000001", created.key)).status).toBe(200);
    revokeApiKey(created.id, null);
    for (const auth of [null, "uv_" + "A".repeat(43), "not-a-key", created.key]) {
      const response = await lookup("wxaaaaaaaaaaaaaaaa", "oA_li_000000000000000000001", auth);
      expect(response.status).toBe(401);
      expect((await response.json()).error.code).toBe("unauthorized");
    }
    flushApiUsage();
    const desk = listApiKeys().find((k) => k.id === created.id)!;
    expect(desk).toMatchObject({ requestsToday: 2, refusedToday: 1, lastUsedAt: expect.any(Number) });
    expect(unknownKeyRefusalsToday()).toBe(2);
  });

  it("403 forbidden for a key without the endpoint's scope, counted as refused", async () => {
    const audienceOnly = createApiKey({ name: "BI", scopes: ["audience:read"] }, null);
    const refused = await lookup("wxaaaaaaaaaaaaaaaa", "oA_li_000000000000000000001", audienceOnly.key);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: { code: "forbidden", message: "This API key lacks the scope identities:read." },
    });
    const byUnionid = await person.GET(
      get("/", audienceOnly.key),
      params({ unionid: "uLi0000000000000000000000001" }),
    );
    expect(byUnionid.status).toBe(403);
    expect((await audience.GET(get("/", audienceOnly.key))).status).toBe(200);
    flushApiUsage();
    expect(listApiKeys().find((k) => k.id === audienceOnly.id)).toMatchObject({
      requestsToday: 3,
      refusedToday: 2,
    });
  });

  it("429 rate_limited with Retry-After once a key's burst is spent; other keys are not affected", async () => {
    cleanup();
    cleanup = useTempDatabase();
    Object.assign(process.env, { UNIONVIEW_API_RATE: "0.01", UNIONVIEW_API_BURST: "3" });
    seed();
    const first = createApiKey({ name: "A", scopes: ALL }, null).key;
    const second = createApiKey({ name: "B", scopes: ALL }, null).key;
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await audience.GET(get("/", first))).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await audience.GET(get("/", first));
    expect(limited.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect((await limited.json()).error.code).toBe("rate_limited");
    expect((await audience.GET(get("/", second))).status).toBe(200);
  });

  it("an unexpected failure answers 500 with a fixed sentence: no stack, no SQL", async () => {
    sqlite().exec("DROP TABLE people");
    const response = await lookup("wxaaaaaaaaaaaaaaaa", "oA_li_000000000000000000001");
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: "internal", message: "Something went wrong on our side; try again later." },
    });
    expect(text).not.toMatch(/people|SELECT|at \w+ \(/);
  });

  it("creating and revoking keys is audited without the key; only its hash is stored", () => {
    const created = createApiKey(
      { name: "Member system", scopes: ["people:read"] },
      { id: 1, email: "a@example.com" },
    );
    revokeApiKey(created.id, { id: 1, email: "a@example.com" });
    const log = db().select().from(schema.auditLog).all();
    expect(log.map((l) => l.action)).toEqual(["apikey.created", "apikey.created", "apikey.revoked"]);
    const everything = JSON.stringify(log) + JSON.stringify(db().select().from(schema.apiKeys).all());
    expect(everything).not.toContain(created.key);
    expect(everything).not.toContain(created.key.slice(10));
  });
});

describe("GET /api/v1/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document (independent validator) describing every endpoint", async () => {
    const doc = await openapi.GET().json();
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    const result = await new Validator().validate(doc);
    expect(result).toEqual({ valid: true });
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/v1/audience",
      "/api/v1/identities/resolve",
      "/api/v1/identities/{appid}/{openid}",
      "/api/v1/people/{unionid}",
    ]);
    expect(Object.keys(doc.webhooks).sort()).toEqual([
      "person.followed",
      "person.linked",
      "person.unfollowed",
    ]);
  });
});
