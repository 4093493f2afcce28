/**
 * The catalog (open vacancies and trainings, and where each person stands
 * with them) for the turns of one batch that asked for it: the open ones
 * once for all, each person's part in one more statement. The same data as
 * `loadCatalog` (catalog.ts) gives the one-at-a-time path, shaped as
 * `toVacancyView` and `toTrainingView` shape it.
 */
import type { SqlRunner } from "../db/sql.ts";
import type { Catalog, TrainingView, VacancyView } from "../engine/types.ts";

/** A `timestamp` column (UTC) as `Date#toISOString()` writes it. */
const iso = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const NOW = `$1::timestamptz AT TIME ZONE 'UTC'`;

const OPEN = `
SELECT
  COALESCE((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
      'id', v.id, 'ref', v.ref, 'title', v.title, 'employer', v.employer,
      'cityCode', v."cityCode", 'workMode', v."workMode", 'minEducation', v."minEducation",
      'skills', v.skills, 'skillTags', v."skillTags", 'tags', v.tags,
      'suitableFor', v."suitableFor", 'accommodations', v.accommodations,
      'accessibilityNote', NULLIF(v."accessibilityNote", ''), 'openings', v.openings,
      'deadline', ${iso("v.deadline")}, 'description', v.description,
      'howToApply', v."howToApply", 'wage', NULLIF(v.wage, ''))) ORDER BY v.ref)
    FROM "Vacancy" v WHERE v.status = 'open' AND v.deadline > ${NOW}), '[]'::jsonb) AS vacancies,
  COALESCE((SELECT jsonb_agg(jsonb_build_object(
      'id', t.id, 'ref', t.ref, 'title', t.title, 'organizer', t.organizer,
      'cityCode', t."cityCode", 'online', t.online, 'venue', t.venue,
      'startsAt', ${iso('t."startsAt"')},
      'registrationDeadline', ${iso('t."registrationDeadline"')},
      'durationMinutes', t."durationMinutes", 'capacity', t.capacity,
      'enrolled', (SELECT count(*) FROM "Enrollment" e
                   WHERE e."trainingId" = t.id AND e.status = 'enrolled'),
      'waiting', (SELECT count(*) FROM "Enrollment" e
                  WHERE e."trainingId" = t.id AND e.status = 'waitlisted'),
      'accommodations', t.accommodations, 'description', t.description) ORDER BY t."startsAt")
    FROM "Training" t WHERE t.status = 'open' AND t."startsAt" > ${NOW}), '[]'::jsonb) AS trainings`;

const THEIRS = `
SELECT p.id,
  COALESCE((SELECT jsonb_agg(a."vacancyId") FROM "Application" a
            WHERE a."personId" = p.id AND a.status = 'interested'), '[]'::jsonb) AS applied,
  COALESCE((SELECT jsonb_agg(m."vacancyId") FROM "VacancyMatch" m
            WHERE m."personId" = p.id), '[]'::jsonb) AS seen,
  COALESCE((SELECT jsonb_agg(jsonb_build_object('trainingId', e."trainingId", 'status', e.status))
            FROM "Enrollment" e
            WHERE e."personId" = p.id AND e.status IN ('enrolled', 'waitlisted')), '[]'::jsonb)
    AS enrollments
FROM unnest($1::uuid[]) AS p(id)`;

/** Each person's catalog; the open vacancies and trainings are shared, their own parts are not. */
export async function loadCatalogs(
  q: SqlRunner,
  personIds: string[],
  now: Date,
): Promise<Map<string, Catalog>> {
  const [open] = await q.query<{ vacancies: VacancyView[]; trainings: TrainingView[] }>(OPEN, [
    now.toISOString(),
  ]);
  const theirs = await q.query<{
    id: string;
    applied: string[];
    seen: string[];
    enrollments: Catalog["enrollments"];
  }>(THEIRS, [personIds]);
  return new Map(
    theirs.map((p) => [
      p.id,
      {
        vacancies: open?.vacancies ?? [],
        trainings: open?.trainings ?? [],
        applied: p.applied,
        seen: p.seen,
        enrollments: p.enrollments,
      },
    ]),
  );
}
