"use client";

import { startTransition, useActionState, useEffect, useRef, type FormEvent } from "react";
import { toast } from "sonner";
import { initialResult, type ActionResult } from "@/lib/forms/result";

type Action = (prev: ActionResult, formData: FormData) => Promise<ActionResult>;

/**
 * Runs a server action from a form without React's automatic form reset, so a refused submission
 * keeps everything the user typed. Results are announced as toasts.
 */
export function useActionForm(action: Action, options: { onSuccess?: (result: ActionResult) => void } = {}) {
  const [state, dispatch, pending] = useActionState(action, initialResult);
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
