import { z } from "zod";
import { cleanText } from "../../lib/text.ts";

export const listQuery = z.object({
  status: z.enum(["open", "closed"]).default("open"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().uuid().optional(),
});

export const replyBody = z.object({
  // Characters PostgreSQL cannot store are dropped rather than failing the request.
  text: z
    .string()
    .transform(cleanText)
    .pipe(
      z
        .string()
        .trim()
        .min(1, "text must not be empty")
        .max(2000, "text must be at most 2000 characters"),
    ),
});

export const idParams = z.object({ id: z.string().uuid("id must be a UUID") });
