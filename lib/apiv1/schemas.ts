import { z } from "zod";

/**
 * The API's shapes: the handlers parse requests with these and type their answers with them, and
 * openapi.ts builds the published document from the same objects.
 */
const idPart = (what: string, example: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, `must be ${what}: 1–64 letters, digits, _ or -`)
    .meta({ description: what, example });

export const appidParam = idPart("an AppID", "wx1234567890abcdef");
export const openidParam = idPart("an openid", "oAbCdEfGhIjKlMnOpQrStUvWxYz0");
export const unionidParam = idPart("a unionid", "oU1aBcDeFgHiJkLmNoPqRsTuVw12");

export const IdentityAccount = z
  .object({
    appid: z.string(),
    name: z.string().meta({ description: "The account's name in UnionView" }),
    openid: z.string(),
    subscribed: z.boolean().meta({ description: "Follows the account now" }),
    subscribeTime: z.iso
      .datetime()
      .nullable()
      .meta({ description: "When they (last) followed, as WeChat reports it" }),
    unsubscribedAt: z.iso.datetime().nullable().meta({ description: "When UnionView saw them leave" }),
  })
  .meta({ id: "IdentityAccount" });

export const Identity = z
  .object({
    unionid: z
      .string()
      .nullable()
      .meta({ description: "null for a follower of an account not bound to the Open Platform" }),
    personId: z.int().meta({ description: "UnionView's id of the person (stable while the unionid is)" }),
    accounts: z.array(IdentityAccount).meta({ description: "Every openid of the person, one per account" }),
  })
  .meta({ id: "Identity" });
export type Identity = z.infer<typeof Identity>;

export const MAX_RESOLVE = 1000;

export const ResolveRequest = z
  .object({
    openids: z
      .array(z.object({ appid: appidParam, openid: openidParam }).strict())
      .min(1, "must list at least one openid")
      .max(MAX_RESOLVE, `must list at most ${MAX_RESOLVE} openids`),
  })
  .strict()
  .meta({ id: "ResolveRequest" });

export const ResolveResponse = z
  .object({
    results: z
      .array(Identity.nullable())
      .meta({ description: "In the order asked; null for an openid UnionView does not know" }),
  })
  .meta({ id: "ResolveResponse" });

export const AudienceStats = z
  .object({
    accounts: z.array(
      z.object({
        appid: z.string(),
        name: z.string(),
        followers: z.int(),
        reportedTotal: z.int().nullable(),
        withoutUnionid: z.int(),
        lastSyncAt: z.iso.datetime().nullable(),
      }),
    ),
    summedFollowers: z.int(),
    uniquePeople: z.int(),
    duplicateFollows: z.int(),
    withoutUnionid: z.int(),
    overlap: z.array(z.object({ a: z.string(), b: z.string(), shared: z.int() })),
    accountsPerPerson: z.record(z.string(), z.int()),
  })
  .meta({ id: "AudienceStats", description: "The same figures as `npm run cli -- stats --json`" });

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum([
        "invalid_request",
        "unauthorized",
        "forbidden",
        "not_found",
        "payload_too_large",
        "rate_limited",
        "internal",
      ]),
      message: z.string(),
    }),
  })
  .meta({ id: "Error" });

export const WEBHOOK_EVENTS = ["person.followed", "person.unfollowed", "person.linked"] as const;

export const WebhookEvent = z
  .object({
    id: z.string().meta({ description: "Also sent as webhook-id; the same on every retry" }),
    type: z.enum(WEBHOOK_EVENTS),
    createdAt: z.iso.datetime(),
    data: z.object({
      appid: z.string(),
      openid: z.string(),
      unionid: z.string().nullable(),
      personId: z.int().nullable(),
      subscribed: z.boolean(),
      subscribeTime: z.iso.datetime().nullable(),
    }),
  })
  .meta({ id: "WebhookEvent" });
export type WebhookEvent = z.infer<typeof WebhookEvent>;
