import { z } from "zod";
import { moment, page } from "../schema-parts.ts";
import { normalizeEmail } from "./accounts.ts";
import { MAX_PASSWORD_LENGTH } from "./passwords.ts";

export const loginBody = z
  .object({
    email: z
      .string()
      .transform(normalizeEmail)
      .pipe(z.string().min(1, "email must not be empty").max(254, "email is too long")),
    // Length only: the rules for a new password apply when it is set, not at sign-in.
    password: z
      .string()
      .min(1, "password must not be empty")
      .max(MAX_PASSWORD_LENGTH, `password must be at most ${MAX_PASSWORD_LENGTH} characters`),
  })
  .strict();

const exact = (name: string) =>
  z
    .string()
    .trim()
    .min(1, `${name} must not be empty`)
    .max(200, `${name} must be at most 200 characters`);

/** Filters of the audit log; each one matches exactly (`action=auth.login`). */
export const auditQuery = z.object({
  /** `token:<id>` or `staff:<id>` (or `cli` for the command line). */
  actor: exact("actor").optional(),
  action: exact("action").optional(),
  target: exact("target").optional(),
  /** From this moment on, inclusive. */
  since: moment("since").optional(),
  /** Before this moment, exclusive. */
  until: moment("until").optional(),
  ...page(),
});
export type AuditQuery = z.infer<typeof auditQuery>;
