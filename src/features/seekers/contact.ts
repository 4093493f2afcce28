/**
 * What staff see of a seeker in lists of people (applicants, enrolments):
 * enough to contact them and to prepare accommodations. Showing it is a view
 * of personal data: callers audit it.
 *
 * Staff see people of their own cities in full. A remote vacancy or an online
 * training also draws people from other cities: its city's staff see of them
 * only what the person was told at that moment ("minat", "daftar") is shared
 * with that job center: name, contact (phone, language, how to communicate),
 * accommodation needs, and the disability categories only while the person's
 * disability consent stands. Never their education, city or other answers.
 * See docs/dpia.md.
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
    consents: {
      where: { purpose: "disability" },
      orderBy: { createdAt: "desc" },
      take: 1,
      select: { granted: true },
    },
  },
} satisfies Prisma.PersonDefaultArgs;

type Contact = Prisma.PersonGetPayload<typeof SEEKER_CONTACT>;

/** In full (a person of the viewer's cities, or a viewer of every city), or what was shared. */
export type ContactView = "full" | "shared";

export function contactView(viewerCities: string[], seekerCity: string | null): ContactView {
  if (viewerCities.length === 0) return "full";
  return seekerCity !== null && viewerCities.includes(seekerCity) ? "full" : "shared";
}

export function seekerContactJson(p: Contact, viewerCities: string[]) {
  const view = contactView(viewerCities, p.profile?.cityCode ?? null);
  const full = view === "full";
  const disabilityShared = full || p.consents[0]?.granted === true;
  return {
    id: p.id,
    view,
    language: p.language,
    name: p.profile?.fullName ?? null,
    city: full ? (p.profile?.cityCode ?? null) : null,
    education: full ? (p.profile?.education ?? null) : null,
    disabilityCategories: disabilityShared ? (p.profile?.disabilityCategories ?? []) : [],
    accommodations: p.profile?.accommodations ?? [],
    accommodationNote: p.profile?.accommodationNote ?? null,
    communication: p.profile?.communication ?? [],
    phone: p.profile?.phone ?? null,
  };
}
