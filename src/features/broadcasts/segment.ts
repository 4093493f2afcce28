/**
 * A broadcast's recipients as SQL, shared by the preview count and the
 * fan-out: registered seekers (people with a profile, not deleted) matching
 * every filter of the segment, inside the creator's cities, each with the
 * address a message would go to (their newest reachable channel, else their
 * newest one, which then counts as unreachable).
 */
import type { PrismaClient, Tx } from "../../db/types.ts";
import { cityByCode } from "../../domain/cities.ts";
import { EDUCATION_LEVELS, educationRank } from "../../domain/education.ts";
import type { Channel } from "../../generated/prisma/client.ts";
import { scopeWhere as trainingScope } from "../trainings/data.ts";
import { scopeWhere as vacancyScope } from "../vacancies/data.ts";
import type { Segment } from "./schema.ts";

/** Why a person in the segment gets no message; null = they get it. */
export type SkipReason = "stopped" | "unreachable" | null;

export interface Recipient {
  personId: string;
  accountId: string;
  channel: Channel;
  language: string;
  plainLanguage: boolean;
  cityCode: string;
  skip: SkipReason;
}

/** The segment's conditions on `sp` (profile) and `p` (person); values appended to `params`. */
function conditions(segment: Segment, scope: string[], params: unknown[]): string {
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = [`p.status <> 'deleted'`];
  if (scope.length > 0) where.push(`sp."cityCode" = ANY(${param(scope)}::text[])`);
  if (segment.cities) where.push(`sp."cityCode" = ANY(${param(segment.cities)}::text[])`);
  if (segment.categories)
    where.push(`sp."disabilityCategories" && ${param(segment.categories)}::text[]`);
  if (segment.minEducation) {
    const min = educationRank(segment.minEducation);
    const levels = EDUCATION_LEVELS.filter((l) => educationRank(l) >= min);
    where.push(`sp.education = ANY(${param(levels)}::text[])`);
  }
  if (segment.trainingId)
    where.push(`EXISTS (SELECT 1 FROM "Enrollment" e
      WHERE e."personId" = p.id AND e."trainingId" = ${param(segment.trainingId)}::uuid
        AND e.status IN ('enrolled', 'waitlisted'))`);
  if (segment.vacancyId)
    where.push(`EXISTS (SELECT 1 FROM "Application" ap
      WHERE ap."personId" = p.id AND ap."vacancyId" = ${param(segment.vacancyId)}::uuid
        AND ap.status = 'interested')`);
  return where.join("\n  AND ");
}

const FROM = `
  FROM "SeekerProfile" sp
  JOIN "Person" p ON p.id = sp."personId"
  JOIN LATERAL (SELECT a.id, a.channel::text AS channel, a.reachable FROM "ChannelAccount" a
                WHERE a."personId" = p.id
                ORDER BY a.reachable DESC, a."createdAt" DESC LIMIT 1) acc ON true`;

const SKIP = `CASE WHEN p.status = 'stopped' THEN 'stopped'
                   WHEN p.status = 'unreachable' OR NOT acc.reachable THEN 'unreachable' END`;

export interface SegmentCount {
  /** Who would get the message. */
  count: number;
  /** Who is in the segment but would not get it, and why. */
  skipped: { stopped: number; unreachable: number };
}

export async function countSegment(
  db: PrismaClient | Tx,
  segment: Segment,
  scope: string[],
): Promise<SegmentCount> {
  const params: unknown[] = [];
  const where = conditions(segment, scope, params);
  const rows = await db.$queryRawUnsafe<{ skip: SkipReason; n: number }[]>(
    `SELECT ${SKIP} AS skip, count(*)::int AS n ${FROM} WHERE ${where} GROUP BY 1`,
    ...params,
  );
  const n = (skip: SkipReason) => rows.find((r) => r.skip === skip)?.n ?? 0;
  return { count: n(null), skipped: { stopped: n("stopped"), unreachable: n("unreachable") } };
}

/** Who would get the message, counted per time zone: at night there they wait for the morning. */
export async function countSegmentByZone(
  db: PrismaClient | Tx,
  segment: Segment,
  scope: string[],
): Promise<{ timeZone: string; n: number }[]> {
  const params: unknown[] = [];
  const where = conditions(segment, scope, params);
  const rows = await db.$queryRawUnsafe<{ city: string; n: number }[]>(
    `SELECT sp."cityCode" AS city, count(*)::int AS n ${FROM}
     WHERE ${where} AND ${SKIP} IS NULL GROUP BY 1`,
    ...params,
  );
  return rows.map((r) => ({ timeZone: cityByCode(r.city)?.timeZone ?? "Asia/Jakarta", n: r.n }));
}

/** The next `limit` recipients after person id `after`, in person id order (the fan-out's cursor). */
export async function recipientsAfter(
  db: PrismaClient | Tx,
  segment: Segment,
  scope: string[],
  after: string | null,
  limit: number,
): Promise<Recipient[]> {
  const params: unknown[] = [];
  const where = conditions(segment, scope, params);
  // On the profile's key, so each chunk's scan starts at the cursor instead of the beginning.
  const cursor = after ? `AND sp."personId" > $${params.push(after)}::uuid` : "";
  params.push(limit);
  return db.$queryRawUnsafe<Recipient[]>(
    `SELECT p.id AS "personId", acc.id AS "accountId", acc.channel, p.language,
            p."plainLanguage", sp."cityCode", ${SKIP} AS skip
     ${FROM} WHERE ${where} ${cursor}
     ORDER BY sp."personId" LIMIT $${params.length}`,
    ...params,
  );
}

/**
 * A training or vacancy named by its number in a segment (the console form,
 * the Telegram guided broadcast): its id, if the caller's cities may use it.
 */
export async function segmentSubject(
  prisma: PrismaClient,
  kind: "training" | "vacancy",
  ref: number,
  cities: string[],
): Promise<string | null> {
  const found =
    kind === "training"
      ? await prisma.training.findFirst({
          where: { ref, ...trainingScope(cities) },
          select: { id: true },
        })
      : await prisma.vacancy.findFirst({
          where: { ref, ...vacancyScope(cities) },
          select: { id: true },
        });
  return found?.id ?? null;
}
