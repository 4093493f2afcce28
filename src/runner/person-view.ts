import type { Tx } from "../db/types.ts";
import type { ConsentPurpose, PersonView, Profile } from "../engine/types.ts";
import type { Prisma, SeekerProfile } from "../generated/prisma/client.ts";

/** What is loaded per person to build a `PersonView`. */
const VIEW_INCLUDE = (channelAccountId?: string) =>
  ({
    conversation: true,
    profile: true,
    handoffs: { where: { status: "open" }, select: { id: true }, take: 1 },
    consents: { orderBy: { createdAt: "desc" }, select: { purpose: true, granted: true } },
    channels: channelAccountId
      ? { where: { id: channelAccountId }, select: { phone: true } }
      : {
          where: { reachable: true },
          orderBy: { createdAt: "desc" },
          take: 1,
          select: { phone: true },
        },
  }) satisfies Prisma.PersonInclude;

type Loaded = Prisma.PersonGetPayload<{ include: ReturnType<typeof VIEW_INCLUDE> }>;
export type LoadedView = PersonView & { conversation: { state: unknown; version: number } | null };

function toView(person: Loaded): LoadedView {
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

/** Loads what the engine needs to know about a person, inside the turn's transaction. */
export async function loadPersonView(
  tx: Tx,
  personId: string,
  channelAccountId: string,
): Promise<LoadedView> {
  return toView(
    await tx.person.findUniqueOrThrow({
      where: { id: personId },
      include: VIEW_INCLUDE(channelAccountId),
    }),
  );
}

/** The same for many people in one query (a reminder to everyone in a training). */
export async function loadPersonViews(
  tx: Tx,
  personIds: string[],
): Promise<Map<string, LoadedView>> {
  const rows = await tx.person.findMany({
    where: { id: { in: personIds } },
    include: VIEW_INCLUDE(),
  });
  return new Map(rows.map((row) => [row.id, toView(row)]));
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
