import { z } from "zod";
import { ACCOMMODATIONS } from "../../domain/accommodations.ts";
import { cityCode, moment, page, text } from "../schema-parts.ts";

const fields = {
  title: text("title", 120),
  organizer: text("organizer", 120),
  city: cityCode,
  online: z.boolean(),
  venue: text("venue", 300),
  startsAt: moment("startsAt"),
  durationMinutes: z
    .number()
    .int()
    .min(15)
    .max(60 * 24 * 30),
  capacity: z.number().int().min(1).max(10_000),
  registrationDeadline: moment("registrationDeadline"),
  accommodations: z.array(z.enum(ACCOMMODATIONS)).max(ACCOMMODATIONS.length),
  description: text("description", 2000),
};

export const createBody = z
  .object({
    ...fields,
    online: fields.online.default(false),
    accommodations: fields.accommodations.default([]),
    registrationDeadline: fields.registrationDeadline.optional(),
  })
  .strict();
export type CreateTraining = z.infer<typeof createBody>;

export const patchBody = z
  .object(fields)
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "nothing to change" });
export type PatchTraining = z.infer<typeof patchBody>;

export const listQuery = z.object({
  status: z.enum(["open", "cancelled"]).optional(),
  city: fields.city.optional(),
  /** Only trainings that have not started (default), or all. */
  upcoming: z.enum(["true", "false"]).default("true"),
  ...page(),
});

export const enrollmentsQuery = z.object({
  status: z.enum(["enrolled", "waitlisted", "cancelled"]).optional(),
  ...page(500),
});
