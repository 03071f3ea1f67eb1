"use client";

import { useTranslations } from "next-intl";
import { unstable_rethrow } from "next/navigation";
import { startTransition, useActionState, useEffect, useRef, type FormEvent } from "react";
import { toast } from "sonner";
import { initialResult, type ActionResult } from "@/lib/forms/result";

type Action = (prev: ActionResult, formData: FormData) => Promise<ActionResult>;

/**
 * Runs a server action from a form without React's automatic form reset, so a refused submission
 * keeps everything the user typed. Results are announced as toasts. A request that fails on the way
 * (connection lost, server restarting, body over the server's limit) becomes a refusal too, instead
 * of an error page that throws the filled form away; redirects still go through.
 */
export function useActionForm(action: Action, options: { onSuccess?: (result: ActionResult) => void } = {}) {
  const t = useTranslations("errors");
  const [state, dispatch, pending] = useActionState(async (prev: ActionResult, data: FormData) => {
    try {
      return await action(prev, data);
    } catch (error) {
      unstable_rethrow(error);
      return { ok: false, message: t("requestFailed") };
    }
  }, initialResult);
  const onSuccess = useRef(options.onSuccess);
  useEffect(() => {
    onSuccess.current = options.onSuccess;
  });

  useEffect(() => {
    if (state === initialResult) return;
    if (state.ok) {
      if (state.message) (state.warning ? toast.warning : toast.success)(state.message);
      onSuccess.current?.(state);
    } else if (state.message) {
      toast.error(state.message);
    }
  }, [state]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  }

  return { state, pending, onSubmit };
}
