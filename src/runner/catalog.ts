import type { Tx } from "../db/types.ts";
import type { EducationLevel } from "../domain/education.ts";
import type { WorkMode } from "../domain/work-mode.ts";
import type { Catalog, VacancyView } from "../engine/types.ts";
import type { Vacancy } from "../generated/prisma/client.ts";

/** Open vacancies and this person's interest in them, for a turn that asked (`needs: "catalog"`). */
export async function loadCatalog(tx: Tx, personId: string, now: Date): Promise<Catalog> {
  const [vacancies, applications, seen] = await Promise.all([
    tx.vacancy.findMany({
      where: { status: "open", deadline: { gt: now } },
      orderBy: { ref: "asc" },
    }),
    tx.application.findMany({
      where: { personId, status: "interested" },
      select: { vacancyId: true },
    }),
    tx.vacancyMatch.findMany({ where: { personId }, select: { vacancyId: true } }),
  ]);
  return {
    vacancies: vacancies.map(toVacancyView),
    applied: applications.map((a) => a.vacancyId),
    seen: seen.map((s) => s.vacancyId),
  };
}

export function toVacancyView(v: Vacancy): VacancyView {
  return {
    id: v.id,
    ref: v.ref,
    title: v.title,
    employer: v.employer,
    cityCode: v.cityCode,
    workMode: v.workMode as WorkMode,
    minEducation: v.minEducation as EducationLevel,
    skills: v.skills,
    skillTags: v.skillTags,
    tags: v.tags,
    suitableFor: v.suitableFor,
    accommodations: v.accommodations,
    ...(v.accessibilityNote ? { accessibilityNote: v.accessibilityNote } : {}),
    openings: v.openings,
    deadline: v.deadline.toISOString(),
    description: v.description,
    howToApply: v.howToApply,
    ...(v.wage ? { wage: v.wage } : {}),
  };
}
