import { z } from "zod";
import { ACCOMMODATIONS } from "../../domain/accommodations.ts";
import { DISABILITY_CATEGORIES } from "../../domain/categories.ts";
import { EDUCATION_LEVELS } from "../../domain/education.ts";
import { WORK_MODES } from "../../domain/work-mode.ts";
import { cityCode, page, text } from "../schema-parts.ts";

/** A date ("2027-01-15": the end of that day in the vacancy's city) or a time with an offset. */
const deadline = z
  .string()
  .refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}$/.test(s)
        ? !Number.isNaN(Date.parse(`${s}T00:00:00Z`))
        : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) &&
          !Number.isNaN(Date.parse(s)),
    { message: "deadline must be a date (2027-01-15) or an ISO 8601 time with an offset" },
  );

const fields = {
  title: text("title", 120),
  employer: text("employer", 120),
  city: cityCode,
  workMode: z.enum(WORK_MODES),
  minEducation: z.enum(EDUCATION_LEVELS),
  skills: z.array(text("each skill", 60)).max(20),
  suitableFor: z.array(z.enum(DISABILITY_CATEGORIES)).max(DISABILITY_CATEGORIES.length),
  accommodations: z.array(z.enum(ACCOMMODATIONS)).max(ACCOMMODATIONS.length),
  accessibilityNote: text("accessibilityNote", 500).nullable(),
  openings: z.number().int().min(1).max(100_000),
  deadline,
  description: text("description", 2000),
  howToApply: text("howToApply", 1000),
  wage: text("wage", 200).nullable(),
};

export const createBody = z
  .object({
    ...fields,
    minEducation: fields.minEducation.default("below_sd"),
    skills: fields.skills.default([]),
    suitableFor: fields.suitableFor.default([]),
    accommodations: fields.accommodations.default([]),
    accessibilityNote: fields.accessibilityNote.optional(),
    wage: fields.wage.optional(),
  })
  .strict();
export type CreateVacancy = z.infer<typeof createBody>;

export const patchBody = z
  .object(fields)
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "nothing to change" });
export type PatchVacancy = z.infer<typeof patchBody>;

export const closeBody = z.object({ reason: z.enum(["filled", "closed"]) }).strict();

export const listQuery = z.object({
  status: z.enum(["draft", "open", "filled", "closed"]).optional(),
  city: cityCode.optional(),
  q: z.string().trim().min(1).max(100).optional(),
  ...page(),
});

export const applicationsQuery = z.object({
  status: z.enum(["interested", "withdrawn"]).optional(),
  ...page(),
});
