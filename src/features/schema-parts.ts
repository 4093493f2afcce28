/** Pieces every staff API schema uses. */
import { z } from "zod";
import { cityByCode } from "../domain/cities.ts";
import { cleanText } from "../lib/text.ts";

/** Text staff write: NUL and broken surrogates dropped, trimmed, length-checked. */
export const text = (name: string, max: number) =>
  z
    .string()
    .transform(cleanText)
    .pipe(
      z
        .string()
        .trim()
        .min(1, `${name} must not be empty`)
        .max(max, `${name} must be at most ${max} characters`),
    );

/** Any of Indonesia's 514 regencies and cities (domain/cities.ts), not only those with a job center. */
export const cityCode = z.string().refine((code) => cityByCode(code) !== undefined, {
  message:
    'city must be the 4-digit code of a regency or city (kabupaten/kota), e.g. "7371" for Kota Makassar',
});

/** A moment with its offset, as API.md asks ("2027-01-12T09:00:00+08:00"). */
export const moment = (name: string) =>
  z
    .string()
    .refine(
      (s) =>
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) &&
        !Number.isNaN(Date.parse(s)),
      {
        message: `${name} must be an ISO 8601 time with an offset, e.g. 2027-01-12T09:00:00+08:00`,
      },
    )
    .transform((s) => new Date(s));

/** `?limit=&cursor=` of every list. */
export const page = (defaultLimit = 50) => ({
  limit: z.coerce.number().int().min(1).max(500).default(defaultLimit),
  cursor: z.string().uuid().optional(),
});

/**
 * A phone number with its country code, as digits only ("+62 812-3456-7890"
 * → "6281234567890"): what WhatsApp's pairing by code asks for.
 */
export const internationalNumber = (message: string) =>
  z
    .string()
    .transform((v) => v.replace(/[\s+()-]/g, ""))
    .pipe(z.string().regex(/^[1-9]\d{7,14}$/, message));
