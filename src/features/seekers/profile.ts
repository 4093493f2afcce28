import type { Profile } from "../../engine/types.ts";
import type { SeekerProfile } from "../../generated/prisma/client.ts";

/** A stored profile as the engine's `Profile`. */
export function toProfile(row: SeekerProfile): Profile {
  return {
    fullName: row.fullName,
    cityCode: row.cityCode,
    cityOtherKind: (row.cityOtherKind as Profile["cityOtherKind"]) ?? undefined,
    cityOtherName: row.cityOtherName ?? undefined,
    disabilityCategories: row.disabilityCategories,
    disabilityDeclined: row.disabilityDeclined,
    education: row.education,
    skills: row.skills,
    skillsWritten: row.skillsWritten ?? [],
    experience: row.experience ?? undefined,
    jobTypes: row.jobTypes,
    jobTypesWritten: row.jobTypesWritten ?? [],
    workModes: row.workModes,
    accommodations: row.accommodations,
    accommodationNote: row.accommodationNote ?? undefined,
    communication: row.communication,
    phone: row.phone ?? undefined,
  };
}

/** Profile fields as database columns (undefined → NULL, so a cleared answer is cleared). */
export function profileColumns(p: Partial<Profile>) {
  const column = <T>(v: T | undefined) => (v === undefined ? null : v);
  const out: Record<string, unknown> = {};
  if ("fullName" in p) out.fullName = p.fullName;
  if ("cityCode" in p) out.cityCode = p.cityCode;
  if ("cityOtherKind" in p) out.cityOtherKind = column(p.cityOtherKind);
  if ("cityOtherName" in p) out.cityOtherName = column(p.cityOtherName);
  if ("disabilityCategories" in p) out.disabilityCategories = p.disabilityCategories ?? [];
  if ("disabilityDeclined" in p) out.disabilityDeclined = p.disabilityDeclined ?? false;
  if ("education" in p) out.education = p.education;
  if ("skills" in p) out.skills = p.skills ?? [];
  if ("skillsWritten" in p) out.skillsWritten = p.skillsWritten ?? [];
  if ("experience" in p) out.experience = column(p.experience);
  if ("jobTypes" in p) out.jobTypes = p.jobTypes ?? [];
  if ("jobTypesWritten" in p) out.jobTypesWritten = p.jobTypesWritten ?? [];
  if ("workModes" in p) out.workModes = p.workModes ?? [];
  if ("accommodations" in p) out.accommodations = p.accommodations ?? [];
  if ("accommodationNote" in p) out.accommodationNote = column(p.accommodationNote);
  if ("communication" in p) out.communication = p.communication ?? [];
  if ("phone" in p) out.phone = column(p.phone);
  return out;
}
