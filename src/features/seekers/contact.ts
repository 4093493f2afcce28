/**
 * What staff see of a seeker in lists of people (applicants, enrolments):
 * enough to contact them and to prepare accommodations. Showing it is a view
 * of personal data: callers audit it.
 */
import type { Prisma } from "../../generated/prisma/client.ts";

export const SEEKER_CONTACT = {
  select: {
    id: true,
    language: true,
    profile: {
      select: {
        fullName: true,
        cityCode: true,
        education: true,
        disabilityCategories: true,
        accommodations: true,
        accommodationNote: true,
        communication: true,
        phone: true,
      },
    },
  },
} satisfies Prisma.PersonDefaultArgs;

type Contact = Prisma.PersonGetPayload<typeof SEEKER_CONTACT>;

export function seekerContactJson(p: Contact) {
  return {
    id: p.id,
    language: p.language,
    name: p.profile?.fullName ?? null,
    city: p.profile?.cityCode ?? null,
    education: p.profile?.education ?? null,
    disabilityCategories: p.profile?.disabilityCategories ?? [],
    accommodations: p.profile?.accommodations ?? [],
    accommodationNote: p.profile?.accommodationNote ?? null,
    communication: p.profile?.communication ?? [],
    phone: p.profile?.phone ?? null,
  };
}
