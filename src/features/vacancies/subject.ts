import type { PrismaClient } from "../../db/types.ts";

/** What a vacancy push is about. Stored in `Outbox.subject` as `vacancy:<id>`. */
export interface VacancySubject {
  kind: "vacancy";
  id: string;
}

/** The stored subject text of a push about vacancy `id` (the column's format: do not change). */
export const vacancySubject = (id: string): string => `vacancy:${id}`;

/**
 * Why a push about this vacancy must not go out now: it was closed, filled or
 * removed, or its deadline passed (a push held until morning may be out of date
 * by then). Null while it is open and before its deadline.
 */
export async function staleVacancy(
  prisma: PrismaClient,
  id: string,
  now: Date,
): Promise<"vacancy_closed" | null> {
  const vacancy = await prisma.vacancy.findUnique({
    where: { id },
    select: { status: true, deadline: true },
  });
  return vacancy?.status === "open" && vacancy.deadline > now ? null : "vacancy_closed";
}
