import type { PrismaClient } from "../../db/types.ts";
import type { Prisma, Training } from "../../generated/prisma/client.ts";
import { pageArgs, toPage } from "../paging.ts";
import { SEEKER_CONTACT, seekerContactJson } from "../seekers/contact.ts";

/** Trainings a caller may see: a city-scoped token sees its cities' trainings. */
export function scopeWhere(cities: string[]): Prisma.TrainingWhereInput {
  return cities.length > 0 ? { cityCode: { in: cities } } : {};
}

export function trainingJson(t: Training, counts?: { enrolled: number; waitlisted: number }) {
  return {
    id: t.id,
    ref: t.ref,
    status: t.status,
    title: t.title,
    organizer: t.organizer,
    city: t.cityCode,
    online: t.online,
    venue: t.venue,
    startsAt: t.startsAt.toISOString(),
    durationMinutes: t.durationMinutes,
    capacity: t.capacity,
    registrationDeadline: t.registrationDeadline.toISOString(),
    accommodations: t.accommodations,
    description: t.description,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    cancelledAt: t.cancelledAt?.toISOString() ?? null,
    ...(counts ? { enrolled: counts.enrolled, waitlisted: counts.waitlisted } : {}),
  };
}

export const findVisible = (prisma: PrismaClient, id: string, cities: string[]) =>
  prisma.training.findFirst({ where: { id, ...scopeWhere(cities) } });

export async function seatCounts(prisma: PrismaClient, trainingId: string) {
  const [enrolled, waitlisted] = await Promise.all([
    prisma.enrollment.count({ where: { trainingId, status: "enrolled" } }),
    prisma.enrollment.count({ where: { trainingId, status: "waitlisted" } }),
  ]);
  return { enrolled, waitlisted };
}

export async function listTrainings(
  prisma: PrismaClient,
  opts: {
    cities: string[];
    status?: Training["status"];
    city?: string;
    upcoming: "true" | "false";
    limit: number;
    cursor?: string;
    now: Date;
  },
) {
  const rows = await prisma.training.findMany({
    where: {
      ...scopeWhere(opts.cities),
      ...(opts.status ? { status: opts.status } : {}),
      ...(opts.city ? { AND: [{ cityCode: opts.city }] } : {}),
      ...(opts.upcoming === "true" ? { startsAt: { gt: opts.now } } : {}),
    },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    ...pageArgs(opts),
  });
  return toPage(rows, opts, (t) => trainingJson(t));
}

/** Who is enrolled, waiting (in order) or gave up, with their answer to the reminders. Personal data. */
export async function listEnrollments(
  prisma: PrismaClient,
  trainingId: string,
  opts: {
    status?: "enrolled" | "waitlisted" | "cancelled";
    limit: number;
    cursor?: string;
    /** The viewer's cities: people of other cities are shown as shared with them (contact.ts). */
    viewerCities: string[];
  },
) {
  const rows = await prisma.enrollment.findMany({
    where: { trainingId, ...(opts.status ? { status: opts.status } : {}) },
    orderBy: [{ status: "asc" }, { requestedAt: "asc" }, { id: "asc" }],
    ...pageArgs(opts),
    include: { person: SEEKER_CONTACT },
  });
  const waiting = await prisma.enrollment.findMany({
    where: { trainingId, status: "waitlisted" },
    orderBy: [{ requestedAt: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  const position = new Map(waiting.map((w, i) => [w.id, i + 1]));
  return toPage(rows, opts, (e) => ({
    id: e.id,
    status: e.status,
    /** Place on the waitlist (1 = next), for waitlisted people. */
    waitlistPosition: position.get(e.id) ?? null,
    attendance: e.attendance,
    answeredAt: e.answeredAt?.toISOString() ?? null,
    requestedAt: e.requestedAt.toISOString(),
    promotedAt: e.promotedAt?.toISOString() ?? null,
    cancelledAt: e.cancelledAt?.toISOString() ?? null,
    channel: e.channel,
    seeker: seekerContactJson(e.person, opts.viewerCities),
  }));
}
