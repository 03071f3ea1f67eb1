"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldErrors, inputClass } from "@/components/ui/field";
import { updateSchedule } from "@/lib/accounts/actions";

interface Props {
  account: { id: string; schedule: "off" | "hourly" | "daily"; scheduleTime: string };
}

export function ScheduleForm({ account }: Props) {
  const t = useTranslations("syncs.schedule");
  const [schedule, setSchedule] = useState(account.schedule);
  const { state, pending, onSubmit } = useActionForm(updateSchedule);
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3">
      <input type="hidden" name="id" value={account.id} />
      <label className="text-sm">
        <span className="block font-medium text-slate-800">{t("title")}</span>
        <select
          name="schedule"
          value={schedule}
          onChange={(e) => setSchedule(e.target.value as Props["account"]["schedule"])}
          className={cn(inputClass, "mt-1 w-auto")}
        >
          {(["off", "hourly", "daily"] as const).map((s) => (
            <option key={s} value={s}>
              {t(s)}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        <span className="block font-medium text-slate-800">{t("at")}</span>
        <input
          type="time"
          name="scheduleTime"
          defaultValue={account.scheduleTime}
          disabled={schedule !== "daily"}
          aria-invalid={state.errors?.scheduleTime?.length ? true : undefined}
          className={cn(inputClass, "mt-1 w-auto")}
        />
        {schedule !== "daily" && <input type="hidden" name="scheduleTime" value={account.scheduleTime} />}
      </label>
      <Button type="submit" variant="secondary" pending={pending}>
        {t("save")}
      </Button>
      <FieldErrors id="schedule-error" errors={state.errors?.scheduleTime} />
    </form>
  );
}
