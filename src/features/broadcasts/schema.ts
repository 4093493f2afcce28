import { z } from "zod";
import { DISABILITY_CATEGORIES } from "../../domain/categories.ts";
import { EDUCATION_LEVELS } from "../../domain/education.ts";
import { cityCode, page, text } from "../schema-parts.ts";

/** Who a broadcast is for. Every given filter must hold; `{}` = everyone registered. */
export const segment = z
  .object({
    cities: z.array(cityCode).min(1).max(514).optional(),
    categories: z
      .array(z.enum(DISABILITY_CATEGORIES))
      .min(1)
      .max(DISABILITY_CATEGORIES.length)
      .optional(),
    minEducation: z.enum(EDUCATION_LEVELS).optional(),
    /** Enrolled or on the waitlist of this training. */
    trainingId: z.string().uuid("trainingId must be a UUID").optional(),
    /** Said they are interested in this vacancy ("minat"). */
    vacancyId: z.string().uuid("vacancyId must be a UUID").optional(),
  })
  .strict();
export type Segment = z.infer<typeof segment>;

/** At most this many characters: a long announcement is hard to follow by ear. */
export const MESSAGE_MAX = 1000;

export const previewBody = z.object({ segment: segment.default({}) }).strict();

/** An ISO 8601 time with an offset ("2027-01-15T09:00:00+08:00"). */
const time = z
  .string()
  .refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) &&
      !Number.isNaN(Date.parse(s)),
    { message: "sendAt must be an ISO 8601 time with an offset, e.g. 2027-01-15T09:00:00+08:00" },
  );

export const createBody = z
  .object({
    message: z
      .object({
        id: text("message.id", MESSAGE_MAX),
        en: text("message.en", MESSAGE_MAX).optional(),
      })
      .strict(),
    segment: segment.default({}),
    sendAt: time.optional(),
  })
  .strict();
export type CreateBroadcast = z.infer<typeof createBody>;

export const listQuery = z.object({
  status: z.enum(["scheduled", "sending", "done", "cancelled", "failed"]).optional(),
  ...page(),
});

export const recipientsQuery = z.object({
  status: z.enum(["queued", "sent", "failed", "skipped"]).optional(),
  ...page(100),
});
