/**
 * Where people drop out of registration (issue 16): per step, how many
 * reached it in the period and how many stopped there. Counts only, nothing
 * about any one person (so reading it is not audited).
 *
 * - Reached: the steps recorded as they happen (RegistrationStep: step, local
 *   day, channel, language, place once known; written by the message path).
 * - Abandoned there: unfinished registrations whose last step reached is this
 *   one and whose last message is older than `idleHours` (default 24),
 *   counted from the conversations themselves; the period is the day of that
 *   last message (WIB). Someone who comes back and finishes leaves the count.
 *
 * City scope: a step is counted for a city once the place is answered. For a
 * caller limited to some cities (or asking for some), the steps before that
 * (consent, name, the place question) cannot be told apart by city and are
 * null; callers covering every city see them.
 */
import { z } from "zod";
import type { PrismaClient } from "../../db/types.ts";
import { localDay } from "../../domain/dates.ts";
import { FUNNEL_STEPS, type FunnelStep } from "../../engine/types.ts";
import { cityCode } from "../schema-parts.ts";
import type { StaffPrincipal } from "./tokens.ts";

/** The steps in the order people meet them. */
export const FUNNEL_ORDER: readonly FunnelStep[] = FUNNEL_STEPS;
/** Reached before the place is known: no city to count them for. */
const BEFORE_PLACE: ReadonlySet<FunnelStep> = new Set(["consent", "name", "city", "cityPick"]);

const day = (name: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${name} must be a day, e.g. 2027-01-31`)
    .refine((s) => !Number.isNaN(Date.parse(s)), `${name} must be a real day`);

export const funnelQuery = z
  .object({
    /** Comma-separated regency codes; default every city of the caller. */
    cities: z
      .string()
      .optional()
      .transform((s) => (s ? s.split(",").map((c) => c.trim()) : undefined))
      .pipe(z.array(cityCode).max(100).optional()),
    /** First day, inclusive (default 29 days before `to`). */
    from: day("from").optional(),
    /** Last day, inclusive (default today, WIB). */
    to: day("to").optional(),
    channel: z.enum(["telegram", "whatsapp", "console"]).optional(),
    language: z.enum(["id", "en"]).optional(),
    /** Hours without a message after which an unfinished registration counts as stopped. */
    idleHours: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(24),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to" });
export type FunnelQuery = z.infer<typeof funnelQuery>;

export interface FunnelStepCount {
  step: FunnelStep;
  /** People who reached this step in the period; null where the city cannot be told. */
  reached: number | null;
  /** Unfinished registrations that stopped at this step (idle `idleHours`); null likewise. */
  abandoned: number | null;
}

export interface Funnel {
  from: string;
  to: string;
  /** The cities counted, or null for every city. */
  cities: string[] | null;
  channel: string | null;
  language: string | null;
  idleHours: number;
  steps: FunnelStepCount[];
}

export async function registrationFunnel(
  prisma: PrismaClient,
  who: StaffPrincipal,
  query: FunnelQuery,
  now: Date,
): Promise<Funnel> {
  const to = query.to ?? localDay(now, "Asia/Jakarta");
  const from = query.from ?? localDay(new Date(Date.parse(to) - 29 * 86_400_000), "UTC");
  const scope = who.cities.length > 0 ? who.cities : null;
  // Asked cities outside the caller's scope count nothing (as everywhere: scope first).
  const cities = query.cities ? query.cities.filter((c) => !scope || scope.includes(c)) : scope;
  const params = [from, to, cities, query.channel ?? null, query.language ?? null];
  const reached = await prisma.$queryRawUnsafe<{ step: string; n: number }[]>(
    `SELECT step, count(*)::int AS n FROM "RegistrationStep"
     WHERE day BETWEEN $1::date AND $2::date
       AND ($3::text[] IS NULL OR "cityCode" = ANY($3::text[]))
       AND ($4::text IS NULL OR channel::text = $4)
       AND ($5::text IS NULL OR language = $5)
     GROUP BY step`,
    ...params,
  );
  const idleSince = new Date(now.getTime() - query.idleHours * 3_600_000);
  const abandoned = await prisma.$queryRawUnsafe<{ step: string; n: number }[]>(
    `SELECT c.state->'funnel'->>-1 AS step, count(*)::int AS n
     FROM "Conversation" c
     JOIN "Person" p ON p.id = c."personId"
     LEFT JOIN LATERAL (SELECT a.channel::text AS channel FROM "ChannelAccount" a
                        WHERE a."personId" = p.id ORDER BY a."createdAt" DESC LIMIT 1) acc ON true
     WHERE jsonb_typeof(c.state->'funnel') = 'array'
       AND jsonb_array_length(c.state->'funnel') > 0
       AND p.status <> 'deleted'
       AND NOT EXISTS (SELECT 1 FROM "SeekerProfile" s WHERE s."personId" = p.id)
       AND c."updatedAt" < ($6::timestamptz AT TIME ZONE 'UTC')
       AND (c."updatedAt" + interval '7 hours')::date BETWEEN $1::date AND $2::date
       AND ($3::text[] IS NULL OR c.state->'draft'->>'cityCode' = ANY($3::text[]))
       AND ($4::text IS NULL OR acc.channel = $4)
       AND ($5::text IS NULL OR p.language = $5)
     GROUP BY 1`,
    ...params,
    idleSince.toISOString(),
  );
  const count = (rows: { step: string; n: number }[], step: string) =>
    rows.find((r) => r.step === step)?.n ?? 0;
  return {
    from,
    to,
    cities,
    channel: query.channel ?? null,
    language: query.language ?? null,
    idleHours: query.idleHours,
    steps: FUNNEL_ORDER.map((step) => {
      const unknown = cities !== null && BEFORE_PLACE.has(step);
      return {
        step,
        reached: unknown ? null : count(reached, step),
        abandoned: unknown ? null : step === "done" ? 0 : count(abandoned, step),
      };
    }),
  };
}
