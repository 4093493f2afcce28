import type { Tx } from "../db/types.ts";
import type { ConsentPurpose, PersonView, Profile } from "../engine/types.ts";
import type { SeekerProfile } from "../generated/prisma/client.ts";

/** Loads what the engine needs to know about a person, inside the turn's transaction. */
export async function loadPersonView(
  tx: Tx,
  personId: string,
  channelAccountId: string,
): Promise<PersonView & { conversation: { state: unknown; version: number } | null }> {
  const person = await tx.person.findUniqueOrThrow({
    where: { id: personId },
    include: {
      conversation: true,
      profile: true,
      handoffs: { where: { status: "open" }, select: { id: true }, take: 1 },
      consents: { orderBy: { createdAt: "desc" }, select: { purpose: true, granted: true } },
      channels: { where: { id: channelAccountId }, select: { phone: true } },
    },
  });
  const account = person.channels[0];
  const consents: PersonView["consents"] = {};
  // Newest first: the first record per purpose is the current decision.
  for (const c of person.consents) {
    const purpose = c.purpose as ConsentPurpose;
    if (consents[purpose] === undefined) consents[purpose] = c.granted;
  }
  return {
    language: person.language,
    plainLanguage: person.plainLanguage,
    messagingActive: person.status !== "stopped",
    consents,
    profile: person.profile ? toProfile(person.profile) : null,
    handoffOpen: person.handoffs.length > 0,
    channelPhone: account?.phone ?? undefined,
    conversation: person.conversation,
  };
}

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
    experience: row.experience ?? undefined,
    jobTypes: row.jobTypes,
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
  if ("experience" in p) out.experience = column(p.experience);
  if ("jobTypes" in p) out.jobTypes = p.jobTypes ?? [];
  if ("workModes" in p) out.workModes = p.workModes ?? [];
  if ("accommodations" in p) out.accommodations = p.accommodations ?? [];
  if ("accommodationNote" in p) out.accommodationNote = column(p.accommodationNote);
  if ("communication" in p) out.communication = p.communication ?? [];
  if ("phone" in p) out.phone = column(p.phone);
  return out;
}
