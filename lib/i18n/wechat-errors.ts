import { createTranslator } from "use-intl/core";
import type { Locale } from "@/i18n/locales";
import en from "@/messages/en.json";
import zhCN from "@/messages/zh-CN.json";
import { ipFromErrmsg, type WeChatError } from "@/lib/wechat/errors";

/** A WeChat error as the client threw it, or as stored with a run or an account's health. */
export type ExplainableError = Pick<WeChatError, "errcode" | "path" | "rawMessage"> | StoredWeChatError;

export interface StoredWeChatError {
  errcode: number;
  path?: string | null;
  raw?: string | null;
}

const translators = {
  "zh-CN": createTranslator({ locale: "zh-CN", messages: zhCN, namespace: "wechatErrors" }),
  en: createTranslator({ locale: "en", messages: en, namespace: "wechatErrors" }),
};

/**
 * A sentence for the person reading it, saying what happened and what to do, in their language
 * (the words are messages/<locale>.json → wechatErrors.e<errcode>). Works outside a request too (CLI).
 */
export function explainWeChatError(error: ExplainableError, locale: Locale): string {
  const raw = ("rawMessage" in error ? error.rawMessage : error.raw) ?? "";
  // Keys are built from the errcode at run time, so the typed translator is used untyped here.
  const t = translators[locale] as unknown as {
    (key: string, values?: Record<string, string | number>): string;
    has(key: string): boolean;
  };
  const key = `e${error.errcode}`;
  if (!t.has(key)) {
    return t("unknown", { errcode: error.errcode, raw: raw ? t("rawSuffix", { raw }) : "" });
  }
  return t(key, { ip: ipFromErrmsg(raw) ?? "?", path: error.path || "?", raw: raw || "?" });
}
