/**
 * What a proactive outbox row is about, typed. The database keeps the text form
 * `<kind>:<id>` (e.g. `vacancy:<uuid>`), so rows written before this type existed
 * parse the same; the features write it with their own helpers
 * (`vacancySubject`, `broadcastSubject`) and check staleness (`staleVacancy`,
 * `staleBroadcast`), which the send job calls through the parsed subject.
 */
import type { PrismaClient } from "../db/types.ts";
import { type BroadcastSubject, staleBroadcast } from "../features/broadcasts/subject.ts";
import type { TrainingSubject } from "../features/trainings/subject.ts";
import { staleVacancy, type VacancySubject } from "../features/vacancies/subject.ts";

export type Subject = VacancySubject | BroadcastSubject | TrainingSubject;

const KINDS: ReadonlySet<string> = new Set<Subject["kind"]>(["vacancy", "broadcast", "training"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string =>
  typeof value === "string" && UUID.test(value);

/** The stored text of a subject: `<kind>:<id>`. */
export const formatSubject = (subject: Subject): string => `${subject.kind}:${subject.id}`;

/** A stored subject, or null when there is none or it is not one of ours (malformed). */
export function parseSubject(text: string | null | undefined): Subject | null {
  if (!text) return null;
  const colon = text.indexOf(":");
  if (colon < 0) return null;
  const kind = text.slice(0, colon);
  const id = text.slice(colon + 1);
  if (!KINDS.has(kind) || !isUuid(id)) return null;
  return { kind, id } as Subject;
}

/**
 * Why a message about `subject` must not go out now (a vacancy closed or past its
 * deadline, a cancelled broadcast), or null. Each check lives in its feature.
 */
export function staleSubject(
  prisma: PrismaClient,
  subject: Subject,
  now: Date,
): Promise<string | null> {
  switch (subject.kind) {
    case "vacancy":
      return staleVacancy(prisma, subject.id, now);
    case "broadcast":
      return staleBroadcast(prisma, subject.id);
    case "training":
      return Promise.resolve(null); // reminders and seat notices are never out of date
  }
}
