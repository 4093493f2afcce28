import type { PrismaClient } from "../../src/db/types.ts";
import type { StaffPrincipal } from "../../src/features/staff/tokens.ts";
import { createVacancy, publishVacancy } from "../../src/features/vacancies/mutations.ts";
import { type CreateVacancy, createBody } from "../../src/features/vacancies/schema.ts";
import type { Queues } from "../../src/jobs/queues.ts";

export const STAFF: StaffPrincipal = {
  actor: "token:test",
  name: "test",
  role: "staff",
  cities: [],
};

/** A valid vacancy body (API names), with overrides. */
export function vacancyBody(over: Partial<Record<keyof CreateVacancy, unknown>> = {}) {
  return {
    title: "Staf Administrasi",
    employer: "PT Maju Bersama",
    city: "7371",
    workMode: "onsite",
    minEducation: "sma",
    skills: ["Microsoft Excel"],
    suitableFor: [],
    accommodations: ["screen_reader"],
    openings: 2,
    deadline: "2027-06-30",
    description: "Mengelola surat dan data pelanggan.",
    howToApply: "Kirim CV ke hrd@maju.example",
    ...over,
  };
}

/** Creates a draft through the same code as the API; returns it. */
export async function draftVacancy(
  prisma: PrismaClient,
  over: Parameters<typeof vacancyBody>[0] = {},
  now = new Date(),
) {
  const result = await createVacancy(prisma, createBody.parse(vacancyBody(over)), STAFF, now);
  if (!result.ok) throw new Error(result.message);
  return result.vacancy;
}

/** Creates and publishes; returns the vacancy and how many seekers it matched. */
export async function publishedVacancy(
  deps: { prisma: PrismaClient; queues: Queues },
  over: Parameters<typeof vacancyBody>[0] = {},
  now = new Date(),
) {
  const vacancy = await draftVacancy(deps.prisma, over, now);
  const published = await publishVacancy(deps, vacancy.id, STAFF, now);
  if (!published.ok) throw new Error(published.message);
  return { vacancy, matched: published.matched };
}
