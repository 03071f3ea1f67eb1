import "server-only";
import type Database from "better-sqlite3";
import type { z } from "zod";
import { hashApiKey, looksLikeApiKey } from "@/lib/apikeys/keys";
import { RateLimiter } from "@/lib/apikeys/rate-limit";
import type { ApiScope } from "@/lib/apikeys/scopes";
import { UsageCounter } from "@/lib/apikeys/usage";
import { sqlite } from "@/lib/db";
import { env } from "@/lib/env";
import { ApiError, errorResponse } from "./errors";

import { MAX_BODY_BYTES } from "./limits";

export { MAX_BODY_BYTES };

interface ApiState {
  limiter: RateLimiter;
  usage: UsageCounter;
  lookup: WeakMap<Database.Database, Database.Statement>;
}
const cache = globalThis as unknown as { __unionviewApi?: ApiState };

function state(): ApiState {
  cache.__unionviewApi ??= {
    limiter: new RateLimiter(env().UNIONVIEW_API_RATE, env().UNIONVIEW_API_BURST),
    usage: new UsageCounter(sqlite()),
    lookup: new WeakMap(),
  };
  return cache.__unionviewApi;
}

/** Writes the request counts gathered in this process (the key list and tests read them). */
export function flushApiUsage(): void {
  cache.__unionviewApi?.usage.flush();
}

export interface ApiKeyContext {
  keyId: number;
  scopes: ApiScope[];
}

/** The key a request carries: `Authorization: Bearer uv_…`, looked up by its hash (one index probe). */
function authenticate(request: Request): ApiKeyContext {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new ApiError("unauthorized", "Send an API key as `Authorization: Bearer <key>`.");
  const key = match[1]!;
  const refuse = (keyId: number) => {
    state().usage.count(keyId, true, Date.now());
    return new ApiError("unauthorized", "This API key is unknown or has been revoked.");
  };
  if (!looksLikeApiKey(key)) throw refuse(0);
  const db = sqlite();
  let stmt = state().lookup.get(db);
  if (!stmt) {
    stmt = db.prepare("SELECT id, scopes, revoked_at AS revokedAt FROM api_keys WHERE key_hash = ?");
    state().lookup.set(db, stmt);
  }
  const row = stmt.get(hashApiKey(key)) as
    { id: number; scopes: string; revokedAt: number | null } | undefined;
  if (!row) throw refuse(0);
  if (row.revokedAt !== null) throw refuse(row.id);
  return { keyId: row.id, scopes: JSON.parse(row.scopes) as ApiScope[] };
}

/**
 * Every /api/v1 handler: key → rate limit → scope → the handler, with errors as JSON with a stable
 * code. Refusals (401, 403, 429) are counted per key; anything unexpected is logged here and answered
 * 500 with a fixed sentence (no stack, no SQL).
 */
export function apiRoute<P extends Record<string, string> = Record<string, never>>(
  scope: ApiScope,
  handler: (request: Request, params: P, key: ApiKeyContext) => Response | Promise<Response>,
) {
  return async (request: Request, context?: { params?: Promise<P> }): Promise<Response> => {
    try {
      const key = authenticate(request);
      const now = Date.now();
      const taken = state().limiter.take(key.keyId, now);
      if (!taken.ok) {
        state().usage.count(key.keyId, true, now);
        throw new ApiError(
          "rate_limited",
          `Too many requests for this key; retry after ${taken.retryAfter} s.`,
          {
            "retry-after": String(taken.retryAfter),
          },
        );
      }
      if (!key.scopes.includes(scope)) {
        state().usage.count(key.keyId, true, now);
        throw new ApiError("forbidden", `This API key lacks the scope ${scope}.`);
      }
      state().usage.count(key.keyId, false, now);
      const params = ((await context?.params) ?? {}) as P;
      return await handler(request, params, key);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      console.error(`[UnionView] /api/v1 ${new URL(request.url).pathname}:`, error);
      return errorResponse(new ApiError("internal", "Something went wrong on our side; try again later."));
    }
  };
}

/** The request's JSON body, refused with 413 beyond MAX_BODY_BYTES (without reading the rest). */
export async function readJson(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length"));
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError("invalid_request", "The request body is not valid JSON.");
  }
}

function tooLarge() {
  return new ApiError("payload_too_large", `The request body is larger than ${MAX_BODY_BYTES} bytes (1 MB).`);
}

/** Parses with a zod schema; the refusal names the first problem's path. */
export function parseOrRefuse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length ? issue.path.join(".") : "body";
  throw new ApiError("invalid_request", `${where}: ${issue.message}`);
}

export function json(body: unknown): Response {
  return Response.json(body, { headers: { "cache-control": "no-store" } });
}
