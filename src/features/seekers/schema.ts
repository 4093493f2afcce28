import { z } from "zod";
import { DISABILITY_CATEGORIES } from "../../domain/categories.ts";
import { EDUCATION_LEVELS } from "../../domain/education.ts";
import { page } from "../schema-parts.ts";

/** Filters of the seekers list and its CSV export. */
export const seekerFilter = {
  /** A regency or city code (any of the 514, domain/cities.ts), or "other". */
  city: z
    .string()
    .regex(/^(\d{4}|other)$/, 'city must be a BPS code like "7371", or "other"')
    .optional(),
  category: z.enum(DISABILITY_CATEGORIES).optional(),
  /** At least this education level. */
  education: z.enum(EDUCATION_LEVELS).optional(),
  /** Part of the name. */
  q: z.string().trim().min(1).max(100).optional(),
};

export const listQuery = z.object({ ...seekerFilter, ...page() });
export const exportQuery = z.object(seekerFilter);
export type SeekerFilter = z.infer<typeof exportQuery>;
