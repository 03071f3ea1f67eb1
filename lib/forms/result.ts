/** What every server action returns to its form (next-learn style). */
export interface ActionResult {
  ok: boolean;
  /** A sentence for a toast or the form's alert. */
  message?: string;
  /** Done, but with something the user should know (shown as a warning, not a success). */
  warning?: boolean;
  /** Per-field messages, already translated. */
  errors?: Record<string, string[] | undefined>;
  /** Values the form should show once, e.g. a generated password. Never a stored secret. */
  reveal?: Record<string, string>;
}

export const initialResult: ActionResult = { ok: false };
