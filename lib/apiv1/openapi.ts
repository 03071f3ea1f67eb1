import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { API_ERRORS } from "./errors";
import { MAX_BODY_BYTES } from "./limits";
import {
  AudienceStats,
  ErrorBody,
  Identity,
  ResolveRequest,
  ResolveResponse,
  WebhookEvent,
  appidParam,
  openidParam,
  unionidParam,
} from "./schemas";

const errorResponses = (...codes: (keyof typeof API_ERRORS)[]) =>
  Object.fromEntries(
    codes.map((code) => [
      String(API_ERRORS[code]),
      { description: `\`${code}\``, content: { "application/json": { schema: ErrorBody } } },
    ]),
  );

const common = errorResponses("unauthorized", "forbidden", "rate_limited");

let cached: ReturnType<OpenApiGeneratorV31["generateDocument"]> | undefined;

/** The OpenAPI 3.1 document, generated from the zod schemas the handlers parse with. */
export function openApiDocument() {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key (uv_…) created by an admin under API keys; each key carries scopes.",
  });
  const security = [{ [bearer.name]: [] }];

  registry.registerPath({
    method: "get",
    path: "/api/v1/identities/{appid}/{openid}",
    operationId: "getIdentity",
    summary: "The person behind an openid, with their openid in every account",
    description: "Scope `identities:read`.",
    security,
    request: { params: z.object({ appid: appidParam, openid: openidParam }) },
    responses: {
      200: { description: "The person", content: { "application/json": { schema: Identity } } },
      ...errorResponses("invalid_request", "not_found"),
      ...common,
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/identities/resolve",
    operationId: "resolveIdentities",
    summary: "Up to 1,000 openids at once, answered in the same order",
    description: `Scope \`identities:read\`. Bodies over ${MAX_BODY_BYTES} bytes are refused with 413.`,
    security,
    request: { body: { content: { "application/json": { schema: ResolveRequest } } } },
    responses: {
      200: {
        description: "One result per openid asked",
        content: { "application/json": { schema: ResolveResponse } },
      },
      ...errorResponses("invalid_request", "payload_too_large"),
      ...common,
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/people/{unionid}",
    operationId: "getPerson",
    summary: "The person with a unionid",
    description: "Scope `people:read`.",
    security,
    request: { params: z.object({ unionid: unionidParam }) },
    responses: {
      200: { description: "The person", content: { "application/json": { schema: Identity } } },
      ...errorResponses("invalid_request", "not_found"),
      ...common,
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/audience",
    operationId: "getAudience",
    summary: "The audience's figures",
    description: "Scope `audience:read`.",
    security,
    responses: {
      200: { description: "The figures", content: { "application/json": { schema: AudienceStats } } },
      ...common,
    },
  });
  for (const type of WebhookEvent.shape.type.options) {
    registry.registerWebhook({
      method: "post",
      path: type,
      operationId: `webhook_${type.replace(".", "_")}`,
      summary: `Sent when ${type.split(".")[1]}`,
      description:
        "Signed as Standard Webhooks says (headers webhook-id, webhook-timestamp, webhook-signature). " +
        "Retried with back-off for up to 24 h under the same webhook-id: deduplicate by it.",
      request: { body: { content: { "application/json": { schema: WebhookEvent } } } },
      responses: { 200: { description: "Any 2xx acknowledges the event" } },
    });
  }
  cached = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "UnionView identity API",
      version: "1.0.0",
      description:
        "Who is behind an openid, across every Official Account bound to the Open Platform. " +
        'Errors are JSON `{"error":{"code","message"}}` with a stable code.',
    },
    servers: [{ url: "/" }],
  });
  return cached;
}

const EXAMPLE_BODY = JSON.stringify({
  openids: [{ appid: "wx1234567890abcdef", openid: "oAbCdEfGhIjKlMnOpQrStUvWxYz0" }],
});

/** The document's operations for the docs page: method, path, scope and a curl line. */
export function apiOperations() {
  const doc = openApiDocument();
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    (["get", "post"] as const).flatMap((method) => {
      const op = item[method];
      if (!op) return [];
      const scope = /`([a-z]+:read)`/.exec(op.description ?? "")?.[1] ?? "";
      const example = path
        .replace("{appid}", "wx1234567890abcdef")
        .replace(/\{(openid|unionid)\}/, "oAbCdEfGhIjKlMnOpQrStUvWxYz0");
      return [
        {
          method,
          path,
          scope,
          summary: op.summary ?? "",
          curl: (origin: string) =>
            method === "post"
              ? `curl -X POST ${origin}${example} \\\n  -H "Authorization: Bearer $UNIONVIEW_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '${EXAMPLE_BODY}'`
              : `curl ${origin}${example} \\\n  -H "Authorization: Bearer $UNIONVIEW_API_KEY"`,
        },
      ];
    }),
  );
}
