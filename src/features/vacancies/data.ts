import type { PrismaClient } from "../../db/types.ts";
import type { Prisma, Vacancy } from "../../generated/prisma/client.ts";
import { pageArgs, toPage } from "../paging.ts";
import { SEEKER_CONTACT, seekerContactJson } from "../seekers/contact.ts";

/** Vacancies a caller may see: a city-scoped token sees its cities' vacancies. */
export function scopeWhere(cities: string[]): Prisma.VacancyWhereInput {
  return cities.length > 0 ? { cityCode: { in: cities } } : {};
}

/** A vacancy as the API shows it (API.md names). */
export function vacancyJson(v: Vacancy) {
  return {
    id: v.id,
    ref: v.ref,
    status: v.status,
    title: v.title,
    employer: v.employer,
    city: v.cityCode,
    workMode: v.workMode,
    minEducation: v.minEducation,
    skills: v.skills,
    suitableFor: v.suitableFor,
    accommodations: v.accommodations,
    accessibilityNote: v.accessibilityNote,
    openings: v.openings,
    deadline: v.deadline.toISOString(),
    description: v.description,
    howToApply: v.howToApply,
    wage: v.wage,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
    publishedAt: v.publishedAt?.toISOString() ?? null,
    closedAt: v.closedAt?.toISOString() ?? null,
    pushedAt: v.pushedAt?.toISOString() ?? null,
  };
}

export async function findVisible(prisma: PrismaClient, id: string, cities: string[]) {
  return prisma.vacancy.findFirst({ where: { id, ...scopeWhere(cities) } });
}

export async function listVacancies(
  prisma: PrismaClient,
  opts: {
    cities: string[];
    status?: Vacancy["status"];
    city?: string;
    q?: string;
    limit: number;
    cursor?: string;
  },
) {
  const rows = await prisma.vacancy.findMany({
    where: {
      ...scopeWhere(opts.cities),
      ...(opts.status ? { status: opts.status } : {}),
      ...(opts.city ? { AND: [{ cityCode: opts.city }] } : {}),
      ...(opts.q
        ? {
            OR: [
              { title: { contains: opts.q, mode: "insensitive" } },
              { employer: { contains: opts.q, mode: "insensitive" } },
            ],
          }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...pageArgs(opts),
  });
  return toPage(rows, opts, vacancyJson);
}

/** People interested in a vacancy, with what staff need to contact them. Personal data: audited by the caller. */
export async function listApplications(
  prisma: PrismaClient,
  vacancyId: string,
  opts: {
    status?: "interested" | "withdrawn";
    limit: number;
    cursor?: string;
    /** The viewer's cities: people of other cities are shown as shared with them (contact.ts). */
    viewerCities: string[];
  },
) {
  const rows = await prisma.application.findMany({
    where: { vacancyId, ...(opts.status ? { status: opts.status } : {}) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    ...pageArgs(opts),
    include: { person: SEEKER_CONTACT },
  });
  return toPage(rows, opts, (a) => ({
    id: a.id,
    status: a.status,
    channel: a.channel,
    createdAt: a.createdAt.toISOString(),
    withdrawnAt: a.withdrawnAt?.toISOString() ?? null,
    seeker: seekerContactJson(a.person, opts.viewerCities),
  }));
}
