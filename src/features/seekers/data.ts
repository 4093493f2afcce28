import type { PrismaClient } from "../../db/types.ts";
import { cityByCode } from "../../domain/cities.ts";
import { EDUCATION_LEVELS, type EducationLevel, educationRank } from "../../domain/education.ts";
import type { Prisma } from "../../generated/prisma/client.ts";
import { toPage } from "../paging.ts";
import type { SeekerFilter } from "./schema.ts";

/** Registered seekers matching the filter, inside the caller's cities. */
export function seekerWhere(f: SeekerFilter, cities: string[]): Prisma.SeekerProfileWhereInput {
  const atLeast = f.education
    ? EDUCATION_LEVELS.filter(
        (l) => educationRank(l) >= educationRank(f.education as EducationLevel),
      )
    : undefined;
  return {
    person: { status: { not: "deleted" } },
    ...(cities.length > 0 ? { cityCode: { in: cities } } : {}),
    ...(f.city ? { AND: [{ cityCode: f.city }] } : {}),
    ...(f.category ? { disabilityCategories: { has: f.category } } : {}),
    ...(atLeast ? { education: { in: atLeast } } : {}),
    ...(f.q ? { fullName: { contains: f.q, mode: "insensitive" } } : {}),
  };
}

export async function listSeekers(
  prisma: PrismaClient,
  f: SeekerFilter & { limit: number; cursor?: string },
  cities: string[],
) {
  const rows = await prisma.seekerProfile.findMany({
    where: seekerWhere(f, cities),
    orderBy: [{ registeredAt: "desc" }, { personId: "desc" }],
    take: f.limit + 1,
    ...(f.cursor ? { cursor: { personId: f.cursor }, skip: 1 } : {}),
    include: { person: { select: { status: true, language: true } } },
  });
  return toPage(
    rows.map((r) => ({ ...r, id: r.personId })),
    f,
    (r) => ({
      id: r.personId,
      name: r.fullName,
      city: r.cityCode,
      cityName: cityByCode(r.cityCode)?.name ?? r.cityOtherName ?? null,
      disabilityCategories: r.disabilityCategories,
      education: r.education,
      status: r.person.status,
      language: r.person.language,
      registeredAt: r.registeredAt.toISOString(),
    }),
  );
}

/** Everything the service keeps about one seeker, for staff. */
export async function seekerDetail(prisma: PrismaClient, id: string, cities: string[]) {
  const profile = await prisma.seekerProfile.findFirst({
    where: { personId: id, ...seekerWhere({}, cities) },
    include: {
      person: {
        include: {
          channels: { select: { channel: true, reachable: true, phone: true, createdAt: true } },
          consents: { orderBy: { createdAt: "desc" } },
          enrollments: {
            include: { training: { select: { id: true, ref: true, title: true, startsAt: true } } },
          },
          applications: { include: { vacancy: { select: { id: true, ref: true, title: true } } } },
        },
      },
    },
  });
  if (!profile) return null;
  const p = profile.person;
  const latest = (purpose: string) => p.consents.find((c) => c.purpose === purpose);
  const consent = (purpose: string) => {
    const c = latest(purpose);
    return c
      ? {
          granted: c.granted,
          textVersion: c.textVersion,
          at: c.createdAt.toISOString(),
          channel: c.channel,
        }
      : null;
  };
  const { person: _, personId, ...fields } = profile;
  return {
    id: personId,
    status: p.status,
    language: p.language,
    plainLanguage: p.plainLanguage,
    lastActiveAt: p.lastActiveAt.toISOString(),
    profile: {
      ...fields,
      registeredAt: fields.registeredAt.toISOString(),
      updatedAt: fields.updatedAt.toISOString(),
    },
    channels: p.channels.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
    consent: { data: consent("data"), disability: consent("disability") },
    enrollments: p.enrollments.map((e) => ({
      id: e.id,
      status: e.status,
      attendance: e.attendance,
      training: { ...e.training, startsAt: e.training.startsAt.toISOString() },
    })),
    applications: p.applications.map((a) => ({
      id: a.id,
      status: a.status,
      createdAt: a.createdAt.toISOString(),
      vacancy: a.vacancy,
    })),
  };
}

/**
 * The export for a city's report: one row per registered seeker, without
 * names or contact details (counts by city, category, education, activity
 * need none of them).
 */
export const CSV_COLUMNS = [
  "id",
  "registered_at",
  "city_code",
  "city_name",
  "disability_categories",
  "education",
  "work_modes",
  "status",
  "language",
  "channels",
  "applications",
  "enrolments",
] as const;

export async function* seekerCsvRows(prisma: PrismaClient, f: SeekerFilter, cities: string[]) {
  let cursor: string | undefined;
  for (;;) {
    const rows = await prisma.seekerProfile.findMany({
      where: seekerWhere(f, cities),
      orderBy: { personId: "asc" },
      take: 1000,
      ...(cursor ? { cursor: { personId: cursor }, skip: 1 } : {}),
      include: {
        person: {
          select: {
            status: true,
            language: true,
            channels: { select: { channel: true } },
            _count: { select: { applications: true, enrollments: true } },
          },
        },
      },
    });
    for (const r of rows) {
      yield [
        r.personId,
        r.registeredAt.toISOString(),
        r.cityCode,
        cityByCode(r.cityCode)?.name ??
          (r.cityOtherName ? `${r.cityOtherKind ?? ""} ${r.cityOtherName}`.trim() : ""),
        r.disabilityCategories.join(";"),
        r.education,
        r.workModes.join(";"),
        r.person.status,
        r.person.language,
        [...new Set(r.person.channels.map((c) => c.channel))].join(";"),
        String(r.person._count.applications),
        String(r.person._count.enrollments),
      ];
    }
    if (rows.length < 1000) return;
    cursor = rows.at(-1)!.personId;
  }
}

/**
 * One CSV field: quoted when needed, and text that a spreadsheet would run
 * as a formula (=, +, -, @) is prefixed with an apostrophe.
 */
/** The export as CSV text, header first, one line per seeker (streamed). */
export async function* seekerCsvLines(prisma: PrismaClient, f: SeekerFilter, cities: string[]) {
  yield `${CSV_COLUMNS.join(",")}\r\n`;
  for await (const row of seekerCsvRows(prisma, f, cities))
    yield `${row.map(csvField).join(",")}\r\n`;
}

export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
