import { z } from "zod";

export const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().int().positive(),
});

export const followersPage = z.object({
  total: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
  // absent on the call after a full last page
  data: z.object({ openid: z.array(z.string()) }).optional(),
  next_openid: z.string().optional().default(""),
});
export type FollowersPage = z.infer<typeof followersPage>;

export const userInfo = z
  .object({
    subscribe: z.number().int(),
    openid: z.string(),
    language: z.string().optional(),
    subscribe_time: z.number().int().optional(),
    unionid: z.string().optional(),
    remark: z.string().optional(),
    groupid: z.number().int().optional(),
    tagid_list: z.array(z.number().int()).optional(),
    subscribe_scene: z.string().optional(),
    qr_scene: z.number().optional(),
    qr_scene_str: z.string().optional(),
  })
  .loose();
export type UserInfo = z.infer<typeof userInfo>;

export const batchGetResponse = z.object({ user_info_list: z.array(userInfo) });

export const tagsResponse = z.object({
  tags: z.array(z.object({ id: z.number().int(), name: z.string(), count: z.number().int() })),
});

export const quotaResponse = z.object({
  quota: z.object({ daily_limit: z.number().int(), used: z.number().int(), remain: z.number().int() }),
});

export const okResponse = z.object({ errcode: z.number().optional(), errmsg: z.string().optional() }).loose();
