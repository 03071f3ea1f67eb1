"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { createAccount, updateAccount } from "@/lib/accounts/actions";
import { SecretField } from "./secret-field";

export interface AccountFormValues {
  id: string;
  name: string;
  appid: string;
  originalId: string;
  boundToOpenPlatform: boolean;
  hasPushToken: boolean;
  hasAesKey: boolean;
}

/** Creates an account, or edits one when `account` is given (secrets then stay write-only). */
export function AccountForm({ account }: { account?: AccountFormValues }) {
  // After a successful edit the form is rebuilt from the saved values, so replaced secrets fold back to "stored".
  const [generation, setGeneration] = useState(0);
  return <AccountFormBody key={generation} account={account} onSaved={() => setGeneration((g) => g + 1)} />;
}

function AccountFormBody({ account, onSaved }: { account?: AccountFormValues; onSaved: () => void }) {
  const t = useTranslations("accounts");
  const router = useRouter();
  const { state, pending, onSubmit } = useActionForm(account ? updateAccount : createAccount, {
    onSuccess: () => (account ? onSaved() : router.push("/accounts")),
  });
  const e = state.errors ?? {};

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      {account && <input type="hidden" name="id" value={account.id} />}
      <Field
        name="name"
        label={t("fields.name")}
        defaultValue={account?.name}
        required
        maxLength={64}
        errors={e.name}
        hint={t("hints.name")}
      />
      <div className="grid gap-5 sm:grid-cols-2">
        <Field
          name="appid"
          label={t("fields.appid")}
          defaultValue={account?.appid}
          required
          spellCheck={false}
          autoComplete="off"
          inputClassName="font-mono"
          placeholder="wx0123456789abcdef"
          errors={e.appid}
          hint={t("hints.appid")}
        />
        <Field
          name="originalId"
          label={t("fields.originalId")}
          defaultValue={account?.originalId}
          required
          spellCheck={false}
          autoComplete="off"
          inputClassName="font-mono"
          placeholder="gh_0123456789ab"
          errors={e.originalId}
          hint={t("hints.originalId")}
        />
      </div>
      <SecretField
        name="appsecret"
        label={t("fields.appsecret")}
        hint={t("hints.appsecret")}
        stored={Boolean(account)}
        required={!account}
        errors={e.appsecret}
      />
      <div className="grid gap-5 sm:grid-cols-2">
        <SecretField
          name="pushToken"
          label={t("fields.pushToken")}
          hint={t("hints.pushToken")}
          stored={Boolean(account?.hasPushToken)}
          removable
          errors={e.pushToken}
        />
        <SecretField
          name="aesKey"
          label={t("fields.aesKey")}
          hint={t("hints.aesKey")}
          stored={Boolean(account?.hasAesKey)}
          removable
          errors={e.aesKey}
        />
      </div>
      <label className="flex items-start gap-3 text-sm">
        <input
          type="checkbox"
          name="boundToOpenPlatform"
          defaultChecked={account?.boundToOpenPlatform ?? true}
          className="mt-0.5 size-4"
          aria-describedby="bound-hint"
        />
        <span>
          <span className="font-medium text-slate-800">{t("fields.boundToOpenPlatform")}</span>
          <span id="bound-hint" className="block text-xs text-slate-500">
            {t("hints.boundToOpenPlatform")}
          </span>
        </span>
      </label>
      {!state.ok && state.message && (
        <p role="alert" className="text-sm text-red-600">
          {state.message}
        </p>
      )}
      <div className="flex gap-3">
        <Button type="submit" pending={pending}>
          {pending ? t("saving") : account ? t("save") : t("create")}
        </Button>
        <Button variant="secondary" onClick={() => router.push("/accounts")} disabled={pending}>
          {t("cancel")}
        </Button>
      </div>
    </form>
  );
}
