/** Counts for staff (dashboard, /stats): numbers only, nothing about any one person. */
import type { PrismaClient } from "../../db/types.ts";
import { scopeWhere as broadcastScope } from "../broadcasts/data.ts";
import { scopeWhere as handoffScope } from "../handoffs/data.ts";
import { scopeWhere as trainingScope } from "../trainings/data.ts";
import { scopeWhere as vacancyScope } from "../vacancies/data.ts";
import type { StaffPrincipal } from "./tokens.ts";

export interface StaffStats {
  seekers: number;
  stopped: number;
  newThisWeek: number;
  vacancies: number;
  trainings: number;
  handoffs: number;
  broadcasts: number;
}

export async function staffStats(
  prisma: PrismaClient,
  who: StaffPrincipal,
  now: Date,
): Promise<StaffStats> {
  const inCities = who.cities.length > 0 ? { cityCode: { in: who.cities } } : {};
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const registered = { ...inCities, person: { status: { not: "deleted" as const } } };
  const [seekers, stopped, newThisWeek, vacancies, trainings, handoffs, broadcasts] =
    await prisma.$transaction([
      prisma.seekerProfile.count({ where: registered }),
      prisma.seekerProfile.count({ where: { ...inCities, person: { status: "stopped" } } }),
      prisma.seekerProfile.count({ where: { ...registered, registeredAt: { gte: weekAgo } } }),
      prisma.vacancy.count({ where: { status: "open", ...vacancyScope(who.cities) } }),
      prisma.training.count({
        where: { status: "open", startsAt: { gt: now }, ...trainingScope(who.cities) },
      }),
      prisma.handoff.count({ where: { status: "open", ...handoffScope(who.cities) } }),
      prisma.broadcast.count({
        where: { status: { in: ["scheduled", "sending"] }, ...broadcastScope(who.cities) },
      }),
    ]);
  return { seekers, stopped, newThisWeek, vacancies, trainings, handoffs, broadcasts };
}

/** Registered seekers per city and per disability category, inside the caller's cities. */
export async function seekerBreakdown(prisma: PrismaClient, who: StaffPrincipal) {
  const scope = who.cities.length > 0 ? who.cities : null;
  const byCity = await prisma.$queryRawUnsafe<{ city: string; n: number }[]>(
    `SELECT sp."cityCode" AS city, count(*)::int AS n FROM "SeekerProfile" sp
     JOIN "Person" p ON p.id = sp."personId"
     WHERE p.status <> 'deleted' AND ($1::text[] IS NULL OR sp."cityCode" = ANY($1::text[]))
     GROUP BY 1 ORDER BY 2 DESC, 1`,
    scope,
  );
  const byCategory = await prisma.$queryRawUnsafe<{ category: string; n: number }[]>(
    `SELECT c AS category, count(*)::int AS n FROM "SeekerProfile" sp
     JOIN "Person" p ON p.id = sp."personId", unnest(sp."disabilityCategories") AS c
     WHERE p.status <> 'deleted' AND ($1::text[] IS NULL OR sp."cityCode" = ANY($1::text[]))
     GROUP BY 1 ORDER BY 2 DESC, 1`,
    scope,
  );
  return { byCity, byCategory };
}
