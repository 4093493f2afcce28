import type { EducationLevel } from "../../domain/education.ts";
import type { WorkMode } from "../../domain/work-mode.ts";
import type { VacancyView } from "../../engine/types.ts";
import type { Vacancy } from "../../generated/prisma/client.ts";

/** A vacancy row as the engine and messages show it. */
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
