"use server";

import { z } from "zod";
import { sqlite } from "@/lib/db";
import { serverAction } from "@/lib/forms/action";
import { fieldError } from "@/lib/forms/denied";
import { explainWeChatError } from "@/lib/i18n/wechat-errors";
import { WeChatError } from "@/lib/wechat/errors";
import { clientForAccount } from "@/lib/accounts/wechat-client";
import { REMARK_MAX } from "./remark";

const remarkSchema = z.object({
  personId: z.coerce.number().int().positive(),
  accountId: z.string().min(1).max(100),
  openid: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/),
  remark: z
    .string()
    .transform((s) => s.trim())
    .refine((s) => [...s].length <= REMARK_MAX, "tooLong")
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "control"),
});

/**
 * Support edits a follower's remark: written to WeChat first (updateremark), then locally, then
 * audited. Nothing changes locally when WeChat refuses; the refusal is explained in plain words.
 */
export const updateRemark = serverAction(
  {
    name: "updateRemark",
    permission: "people:edit",
    messages: "people.remark",
    schema: remarkSchema,
    invalid: (error, t) => {
      const issue = error.issues[0];
      const key = issue?.path[0] === "remark" && issue.message === "control" ? "control" : "tooLong";
      return issue?.path[0] === "remark"
        ? fieldError("remark", t(key, { max: REMARK_MAX }))
        : { ok: false, message: t("notFound") };
    },
    revalidate: (input) => [`/people/${input.personId}`],
  },
  async ({ input, t, locale, audit }) => {
    const { personId, accountId, openid, remark } = input;
    const db = sqlite();
    const follower = db
      .prepare(
        `SELECT f.remark, a.appid, a.name, a.disabled_at AS disabledAt FROM followers f JOIN accounts a ON a.id = f.account_id
          WHERE f.account_id = ? AND f.openid = ? AND f.person_id = ?`,
      )
      .get(accountId, openid, personId) as
      { remark: string | null; appid: string; name: string; disabledAt: number | null } | undefined;
    if (!follower) return { ok: false, message: t("notFound") };
    if (follower.disabledAt) return { ok: false, message: t("accountDisabled", { name: follower.name }) };
    if ((follower.remark ?? "") === remark) return { ok: true, message: t("unchanged") };

    const client = clientForAccount(accountId);
    if (!client) return { ok: false, message: t("notFound") };
    try {
      await client.updateRemark(openid, remark);
    } catch (error) {
      const reason = error instanceof WeChatError ? explainWeChatError(error, locale) : t("unreachable");
      return fieldError("remark", t("refused", { reason }), t("refused", { reason }));
    }
    db.prepare("UPDATE followers SET remark = ? WHERE account_id = ? AND openid = ?").run(
      remark || null,
      accountId,
      openid,
    );
    audit({
      action: "people.remark_updated",
      target: { type: "person", id: personId, label: `${follower.name}: ${openid}` },
      details: { appid: follower.appid, accountName: follower.name, openid, before: follower.remark, remark },
    });
    return { ok: true, message: t("saved", { name: follower.name }) };
  },
);
