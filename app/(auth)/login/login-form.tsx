"use client";

import { useTranslations } from "next-intl";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { signInWithPassword } from "@/lib/sign-in/actions";

function pathOnly(next: string | undefined): string {
  if (!next) return "/";
  try {
    const url = new URL(next, "http://x");
    return url.pathname + url.search;
  } catch {
    return "/";
  }
}

export function LoginForm({ next }: { next?: string }) {
  const t = useTranslations("login");
  const { state, pending, onSubmit } = useActionForm(signInWithPassword);
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <input type="hidden" name="next" value={pathOnly(next)} />
      <Field
        name="email"
        type="email"
        label={t("email")}
        autoComplete="username"
        required
        autoFocus
        errors={state.errors?.email}
      />
      <Field
        name="password"
        type="password"
        label={t("password")}
        autoComplete="current-password"
        required
        errors={state.errors?.password}
      />
      {!state.ok && state.message && (
        <p role="alert" className="text-sm text-red-600">
          {state.message}
        </p>
      )}
      <Button type="submit" pending={pending} className="w-full">
        {pending ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
