import type { PrismaClient } from "../../db/types.ts";
import { cityByCode } from "../../domain/cities.ts";
import { type RequirementWarning, requirementWarnings } from "../../domain/discrimination.ts";
import { vacancySkillTags, vacancyTags } from "../../domain/matching.ts";
import {
  DEFAULT_QUIET_HOURS,
  type Held,
  heldMessages,
  offsetMinutes,
  type QuietHours,
} from "../../domain/quiet-hours.ts";
import type { Vacancy } from "../../generated/prisma/client.ts";
import type { Queues } from "../../jobs/queues.ts";
import {
  conflict,
  type Failure,
  givenFields,
  invalid,
  notFound,
  outsideScope,
  type Result,
} from "../results.ts";
import { audit } from "../staff/audit.ts";
import type { StaffPrincipal } from "../staff/tokens.ts";
import { findVisible } from "./data.ts";
import { countMatchesByZone } from "./match-sql.ts";
import type { CreateVacancy, PatchVacancy } from "./schema.ts";

const missing = (id: string) => notFound("vacancy", id);

/** "2027-01-15" means the end of that day where the job is; a full time is taken as given. */
export function resolveDeadline(deadline: string, cityCode: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(deadline)) return new Date(deadline);
  const zone = cityByCode(cityCode)?.timeZone ?? "Asia/Jakarta";
  return new Date(Date.parse(`${deadline}T23:59:59.999Z`) - offsetMinutes(zone) * 60_000);
}

function pastDeadline(deadline: Date, now: Date): Failure | undefined {
  return deadline > now ? undefined : invalid("deadline", "must be in the future");
}

function warningsFor(v: {
  title: string;
  description: string;
  howToApply: string;
  skills: string[];
  accessibilityNote?: string | null;
}): RequirementWarning[] {
  return requirementWarnings({
    title: v.title,
    skills: v.skills,
    description: v.description,
    howToApply: v.howToApply,
    accessibilityNote: v.accessibilityNote ?? undefined,
  });
}

function tagColumns(title: string, skills: string[]) {
  const skillTags = vacancySkillTags(skills);
  return { skillTags, tags: vacancyTags(title, skillTags) };
}

export async function createVacancy(
  prisma: PrismaClient,
  input: CreateVacancy,
  who: StaffPrincipal,
  now: Date,
): Promise<Result<{ vacancy: Vacancy; warnings: RequirementWarning[] }>> {
  const denied = outsideScope(who, input.city);
  if (denied) return denied;
  const deadline = resolveDeadline(input.deadline, input.city);
  const late = pastDeadline(deadline, now);
  if (late) return late;
  const vacancy = await prisma.$transaction(async (tx) => {
    const created = await tx.vacancy.create({
      data: {
        title: input.title,
        employer: input.employer,
        cityCode: input.city,
        workMode: input.workMode,
        minEducation: input.minEducation,
        skills: input.skills,
        ...tagColumns(input.title, input.skills),
        suitableFor: input.suitableFor,
        accommodations: input.accommodations,
        accessibilityNote: input.accessibilityNote ?? null,
        openings: input.openings,
        deadline,
        description: input.description,
        howToApply: input.howToApply,
        wage: input.wage ?? null,
        createdBy: who.actor,
      },
    });
    await audit(tx, who, "vacancies.create", created.id, { city: input.city }, [input.city]);
    return created;
  });
  return { ok: true, vacancy, warnings: warningsFor(vacancy) };
}

export async function updateVacancy(
  prisma: PrismaClient,
  id: string,
  patch: PatchVacancy,
  who: StaffPrincipal,
  now: Date,
): Promise<Result<{ vacancy: Vacancy; warnings: RequirementWarning[] }>> {
  const current = await findVisible(prisma, id, who.cities);
  if (!current) return missing(id);
  const city = patch.city ?? current.cityCode;
  const denied = outsideScope(who, city);
  if (denied) return denied;
  const deadline = patch.deadline !== undefined ? resolveDeadline(patch.deadline, city) : undefined;
  if (deadline) {
    const late = pastDeadline(deadline, now);
    if (late) return late;
  }
  const title = patch.title ?? current.title;
  const skills = patch.skills ?? current.skills;
  const vacancy = await prisma.$transaction(async (tx) => {
    const updated = await tx.vacancy.update({
      where: { id },
      data: {
        ...givenFields({ ...patch, city: undefined, deadline: undefined }),
        ...(patch.city !== undefined ? { cityCode: patch.city } : {}),
        ...tagColumns(title, skills),
        ...(deadline ? { deadline } : {}),
      },
    });
    await audit(tx, who, "vacancies.update", id, { fields: Object.keys(patch) }, [
      current.cityCode,
      city,
    ]);
    return updated;
  });
  return { ok: true, vacancy, warnings: warningsFor(vacancy) };
}

/**
 * Opens a vacancy and queues its pushes. Publishing an open vacancy again
 * changes nothing (a double click); a closed one can be opened again while
 * its deadline is ahead, and then people who have not heard of it are told.
 */
export async function publishVacancy(
  deps: { prisma: PrismaClient; queues: Queues; quietHours?: QuietHours },
  id: string,
  who: StaffPrincipal,
  now: Date,
): Promise<Result<{ matched: number } & Held>> {
  const current = await findVisible(deps.prisma, id, who.cities);
  if (!current) return missing(id);
  if (current.deadline <= now)
    return {
      ok: false,
      status: 409,
      code: "deadline_passed",
      message: "The deadline has passed: set a new one (PATCH) before publishing",
    };
  const wasOpen = current.status === "open";
  const byZone = await deps.prisma.$transaction(async (tx) => {
    if (!wasOpen) {
      await tx.vacancy.update({
        where: { id },
        data: {
          status: "open",
          publishedAt: now,
          closedAt: null,
          pushedAt: null,
          pushClaim: null,
          pushClaimedAt: null,
        },
      });
      await audit(tx, who, "vacancies.publish", id, undefined, [current.cityCode]);
    }
    return countMatchesByZone(tx, id);
  });
  await enqueueVacancyMatch(deps.queues, id, wasOpen ? (current.publishedAt ?? now) : now);
  // Published at night: the pushes wait for the morning in each person's zone; staff are told.
  const held = heldMessages(byZone, now, deps.quietHours ?? DEFAULT_QUIET_HOURS);
  return { ok: true, matched: byZone.reduce((sum, z) => sum + z.n, 0), ...held };
}

/** The job id names the publication, so a double publish queues one job. */
export async function enqueueVacancyMatch(queues: Queues, vacancyId: string, at: Date) {
  await queues
    .get("vacancy-match")
    .add("match", { vacancyId }, { jobId: `match-${vacancyId}-${at.getTime()}` });
}

export async function closeVacancy(
  prisma: PrismaClient,
  id: string,
  reason: "filled" | "closed",
  who: StaffPrincipal,
  now: Date,
): Promise<Result<{ vacancy: Vacancy }>> {
  const current = await findVisible(prisma, id, who.cities);
  if (!current) return missing(id);
  if (current.status === "filled" || current.status === "closed")
    return conflict(`The vacancy is already ${current.status}`);
  const vacancy = await prisma.$transaction(async (tx) => {
    const updated = await tx.vacancy.update({
      where: { id },
      data: { status: reason, closedAt: now },
    });
    await audit(tx, who, "vacancies.close", id, { reason }, [current.cityCode]);
    return updated;
  });
  return { ok: true, vacancy };
}

/** Open vacancies whose deadline has passed are closed (pushes not yet sent are then skipped). */
export async function closeExpiredVacancies(prisma: PrismaClient, now: Date): Promise<number> {
  const { count } = await prisma.vacancy.updateMany({
    where: { status: "open", deadline: { lte: now } },
    data: { status: "closed", closedAt: now },
  });
  return count;
}
