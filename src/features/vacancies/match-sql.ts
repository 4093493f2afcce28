/**
 * domain/matching.ts's rules as one SQL query over every seeker, so a
 * publication with 100,000 seekers is one scan, not 100,000 objects. A test
 * runs both on the same people and expects the same matches and scores.
 */
import type { PrismaClient, Tx } from "../../db/types.ts";
import { cityByCode } from "../../domain/cities.ts";
import { EDUCATION_LEVELS, educationRank } from "../../domain/education.ts";
import { SCORE } from "../../domain/matching.ts";

/**
 * Parameter `$n` (an ISO string) as a UTC timestamp: Prisma's DateTime columns
 * are `timestamp without time zone` holding UTC, and a JS Date parameter would
 * be read in the session's zone.
 */
export const utc = (n: number) => `($${n}::timestamptz AT TIME ZONE 'UTC')`;

/** An education code column as its rank ("at least SMA" accepts SMK). */
const rank = (column: string) =>
  `(CASE ${column} ${EDUCATION_LEVELS.map((l) => `WHEN '${l}' THEN ${educationRank(l)}`).join(" ")} ELSE -1 END)`;

/** Hard filters: where, education, categories; active, consented, reachable. */
const FILTER = `
  p.status = 'active'
  AND (sp."cityCode" = v."cityCode"
       OR (v."workMode" = 'remote'
           AND (cardinality(sp."workModes") = 0 OR 'remote' = ANY(sp."workModes"))))
  AND ${rank('sp."education"')} >= ${rank('v."minEducation"')}
  AND (cardinality(v."suitableFor") = 0 OR sp."disabilityCategories" <@ v."suitableFor")
  AND COALESCE((SELECT c.granted FROM "ConsentRecord" c
                WHERE c."personId" = p.id AND c.purpose = 'data'
                ORDER BY c."createdAt" DESC LIMIT 1), false)`;

const SCORE_SQL = `(
  ${SCORE.skill} * cardinality(ARRAY(SELECT unnest(sp."skills") INTERSECT SELECT unnest(v."skillTags")))
  + ${SCORE.jobType} * cardinality(ARRAY(SELECT unnest(sp."jobTypes") INTERSECT SELECT unnest(v."tags")))
  + CASE WHEN cardinality(sp."workModes") = 0 OR v."workMode" = ANY(sp."workModes")
         THEN ${SCORE.workMode} ELSE 0 END)`;

/** The address a push goes to: the person's newest reachable channel. */
const ACCOUNT = `
  JOIN LATERAL (SELECT a.id, a.channel::text AS channel FROM "ChannelAccount" a
                WHERE a."personId" = p.id AND a.reachable
                ORDER BY a."createdAt" DESC LIMIT 1) acc ON true`;

/** The matching query as plain SQL with `$1` = vacancy id: the benchmark runs it through `pg` too. */
export const MATCH_SQL = `
  SELECT p.id AS "personId", ${SCORE_SQL}::int AS score
  FROM "SeekerProfile" sp
  JOIN "Person" p ON p.id = sp."personId"
  JOIN "Vacancy" v ON v.id = $1::uuid
  ${ACCOUNT}
  WHERE ${FILTER}`;

/** How many seekers a vacancy matches (shown to staff when they publish). */
export async function countMatches(db: PrismaClient | Tx, vacancyId: string): Promise<number> {
  const rows = await countMatchesByZone(db, vacancyId);
  return rows.reduce((sum, r) => sum + r.n, 0);
}

/** The matching seekers counted per time zone: their pushes wait for the morning there. */
export async function countMatchesByZone(
  db: PrismaClient | Tx,
  vacancyId: string,
): Promise<{ timeZone: string; n: number }[]> {
  const rows = await db.$queryRawUnsafe<{ city: string; n: number }[]>(
    `SELECT sp."cityCode" AS city, count(*)::int AS n
     FROM (${MATCH_SQL}) m JOIN "SeekerProfile" sp ON sp."personId" = m."personId"
     GROUP BY 1`,
    vacancyId,
  );
  return rows.map((r) => ({ timeZone: cityByCode(r.city)?.timeZone ?? "Asia/Jakarta", n: r.n }));
}

export interface Candidate {
  personId: string;
  score: number;
  language: string;
  plainLanguage: boolean;
  cityCode: string;
  accountId: string;
  channel: "console" | "telegram" | "whatsapp";
  /** Pushes of other vacancies in the cap window. */
  recent: number;
  /** Already pushed ("push") or shown in chat ("chat") for this vacancy. */
  already: "push" | "chat" | null;
}

/**
 * Every seeker a vacancy matches, with what the push needs: score, language,
 * address, pushes of other vacancies since `since` (not counting `batch`,
 * the vacancies being pushed together now), and whether this one was sent.
 */
export async function matchCandidates(
  db: PrismaClient | Tx,
  vacancyId: string,
  since: Date,
  batch: string[],
): Promise<Candidate[]> {
  return db.$queryRawUnsafe<Candidate[]>(
    `SELECT p.id AS "personId", ${SCORE_SQL}::int AS score,
            p.language, p."plainLanguage", sp."cityCode",
            acc.id AS "accountId", acc.channel,
            (SELECT count(*) FROM "VacancyMatch" m
             WHERE m."personId" = p.id AND m.via = 'push' AND m."createdAt" > ${utc(2)}
               AND NOT (m."vacancyId" = ANY($3::uuid[])))::int AS recent,
            (SELECT m.via FROM "VacancyMatch" m
             WHERE m."vacancyId" = v.id AND m."personId" = p.id) AS already
     FROM "SeekerProfile" sp
     JOIN "Person" p ON p.id = sp."personId"
     JOIN "Vacancy" v ON v.id = $1::uuid
     ${ACCOUNT}
     WHERE ${FILTER}`,
    vacancyId,
    since.toISOString(),
    batch,
  );
}
