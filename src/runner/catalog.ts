import type { Tx } from "../db/types.ts";
import type { Catalog, TrainingView } from "../engine/types.ts";
import { toTrainingView } from "../features/trainings/view.ts";
import { toVacancyView } from "../features/vacancies/view.ts";

/** Open vacancies and trainings and this person's part in them, for a turn that asked (`needs: "catalog"`). */
export async function loadCatalog(tx: Tx, personId: string, now: Date): Promise<Catalog> {
  // One after another: a transaction has one connection, and overlapping queries on it are
  // deprecated in pg (an error in pg 9) and have confused adapter-pg's responses.
  const vacancies = await tx.vacancy.findMany({
    where: { status: "open", deadline: { gt: now } },
    orderBy: { ref: "asc" },
  });
  const applications = await tx.application.findMany({
    where: { personId, status: "interested" },
    select: { vacancyId: true },
  });
  const seen = await tx.vacancyMatch.findMany({ where: { personId }, select: { vacancyId: true } });
  const trainings = await upcomingTrainingViews(tx, now);
  const enrollments = await tx.enrollment.findMany({
    where: { personId, status: { in: ["enrolled", "waitlisted"] } },
    select: { trainingId: true, status: true },
  });
  return {
    vacancies: vacancies.map(toVacancyView),
    trainings,
    enrollments: enrollments.map((e) => ({
      trainingId: e.trainingId,
      status: e.status as "enrolled" | "waitlisted",
    })),
    applied: applications.map((a) => a.vacancyId),
    seen: seen.map((s) => s.vacancyId),
  };
}

/** Open trainings that have not started, with their seats taken and waitlist now. */
export async function upcomingTrainingViews(tx: Tx, now: Date): Promise<TrainingView[]> {
  const rows = await tx.training.findMany({
    where: { status: "open", startsAt: { gt: now } },
    orderBy: { startsAt: "asc" },
  });
  if (rows.length === 0) return [];
  const counts = await tx.enrollment.groupBy({
    by: ["trainingId", "status"],
    where: {
      trainingId: { in: rows.map((r) => r.id) },
      status: { in: ["enrolled", "waitlisted"] },
    },
    _count: { _all: true },
  });
  const count = (id: string, status: string) =>
    counts.find((c) => c.trainingId === id && c.status === status)?._count._all ?? 0;
  return rows.map((t) => toTrainingView(t, count(t.id, "enrolled"), count(t.id, "waitlisted")));
}
