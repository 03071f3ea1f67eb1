import { z } from "zod";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { ROLES } from "@/lib/auth/roles";

/** Messages are keys under "staff.errors". */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const createStaffSchema = z.object({
  email: z.preprocess(
    blankToUndefined,
    z
      .string({ error: "emailRequired" })
      .trim()
      .toLowerCase()
      .pipe(z.email("emailFormat"))
      .pipe(z.string().max(254, "emailFormat")),
  ),
  name: z.preprocess(blankToUndefined, z.string({ error: "nameRequired" }).trim().max(64, "nameTooLong")),
  role: z.enum(ROLES, { error: "roleRequired" }),
  password: z.preprocess(
    blankToUndefined,
    z.string().min(PASSWORD_MIN_LENGTH, "passwordTooShort").max(256, "passwordTooLong").optional(),
  ),
});

export const changeRoleSchema = z.object({
  id: z.coerce.number().int().positive(),
  role: z.enum(ROLES, { error: "roleRequired" }),
});

export const staffIdSchema = z.object({ id: z.coerce.number().int().positive() });

export const setDisabledSchema = staffIdSchema.extend({ disabled: z.enum(["true", "false"]) });
