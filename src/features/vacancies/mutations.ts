import type { PrismaClient } from "../../db/types.ts";
import { cityByCode } from "../../domain/cities.ts";
import { type RequirementWarning, requirementWarnings } from "../../domain/discrimination.ts";
import { vacancySkillTags, vacancyTags } from "../../domain/matching.ts";
import type { Enqueue } from "../../domain/queues.ts";
import {
  DEFAULT_QUIET_HOURS,
  type Held,
  heldMessages,
  offsetMinutes,
  type QuietHours,
} from "../../domain/quiet-hours.ts";
import type { Vacancy } from "../../generated/prisma/client.ts";
import { auditedChange, createdEntry } from "../audited-change.ts";
import {
  conflict,
  type Failure,
  givenFields,
  invalid,
  outsideScope,
  type Result,
} from "../results.ts";
import type { StaffPrincipal } from "../staff/tokens.ts";
import { findVisible } from "./data.ts";
import { countMatchesByZone } from "./match-sql.ts";
import type { CreateVacancy, PatchVacancy } from "./schema.ts";

/** The vacancy acted on, as the caller may see it (404 when not). */
const visible = (id: string) => ({ what: "vacancy", id, find: findVisible });

const deadlinePassed = (): Failure => ({
  ok: false,
  status: 409,
  code: "deadline_passed",
  message: "The deadline has passed: set a new one (PATCH) before publishing",
});

/** "2027-01-15" means the end of that day where the job is; a full time is taken as given. */
export function resolveDeadline(deadline: string, cityCode: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(deadline)) return new Date(deadline);
  const zone = cityByCode(cityCode)?.timeZone ?? "Asia/Jakarta";
  return new Date(Date.parse(`${deadline}T23:59:59.999Z`) - offsetMinutes(zone) * 60_000);
}

function pastDeadline(deadline: Date, now: Date): Failure | undefined {
  return deadline > now ? undefined : invalid("deadline", "must be in the future");
}

/** What in a vacancy's text may discriminate (shown to staff whenever they look at it). */
export function vacancyWarnings(v: {
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
  const done = await auditedChange(prisma, who, {
    check: () => {
      const denied = outsideScope(who, input.city);
      if (denied) return denied;
      const deadline = resolveDeadline(input.deadline, input.city);
      return pastDeadline(deadline, now) ?? { deadline };
    },
    write: async (tx, { deadline }) => {
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
      return { out: created, audit: createdEntry("vacancies.create", created.id, input.city) };
    },
  });
  if (!done.ok) return done;
  return { ok: true, vacancy: done.out, warnings: vacancyWarnings(done.out) };
}

export async function updateVacancy(
  prisma: PrismaClient,
  id: string,
  patch: PatchVacancy,
  who: StaffPrincipal,
  now: Date,
): Promise<Result<{ vacancy: Vacancy; warnings: RequirementWarning[] }>> {
  const done = await auditedChange(prisma, who, {
    load: visible(id),
    check: (current) => {
      const city = patch.city ?? current.cityCode;
      const denied = outsideScope(who, city);
      if (denied) return denied;
      const deadline =
        patch.deadline !== undefined ? resolveDeadline(patch.deadline, city) : undefined;
      return (deadline && pastDeadline(deadline, now)) ?? { city, deadline };
    },
    write: async (tx, { city, deadline }, current) => {
      const title = patch.title ?? current.title;
      const skills = patch.skills ?? current.skills;
      const updated = await tx.vacancy.update({
        where: { id },
        data: {
          ...givenFields({ ...patch, city: undefined, deadline: undefined }),
          ...(patch.city !== undefined ? { cityCode: patch.city } : {}),
          ...tagColumns(title, skills),
          ...(deadline ? { deadline } : {}),
        },
      });
      const details = { fields: Object.keys(patch) };
      const cities = [current.cityCode, city];
      return { out: updated, audit: { action: "vacancies.update", target: id, details, cities } };
    },
  });
  if (!done.ok) return done;
  return { ok: true, vacancy: done.out, warnings: vacancyWarnings(done.out) };
}

/**
 * Opens a vacancy and queues its pushes. Publishing an open vacancy again
 * changes nothing (a double click); a closed one can be opened again while
 * its deadline is ahead, and then people who have not heard of it are told.
 */
export async function publishVacancy(
  deps: { prisma: PrismaClient; queues: Enqueue; quietHours?: QuietHours },
  id: string,
  who: StaffPrincipal,
  now: Date,
): Promise<Result<{ matched: number } & Held>> {
  const done = await auditedChange(deps.prisma, who, {
    load: visible(id),
    check: (current) =>
      current.deadline <= now ? deadlinePassed() : { wasOpen: current.status === "open" },
    write: async (tx, { wasOpen }, current) => {
      if (wasOpen) return { out: await countMatchesByZone(tx, id) };
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
      const entry = { action: "vacancies.publish", target: id, cities: [current.cityCode] };
      return { out: await countMatchesByZone(tx, id), audit: entry };
    },
  });
  if (!done.ok) return done;
  const { current, plan, out: byZone } = done;
  await enqueueVacancyMatch(deps.queues, id, plan.wasOpen ? (current.publishedAt ?? now) : now);
  // Published at night: the pushes wait for the morning in each person's zone; staff are told.
  const held = heldMessages(byZone, now, deps.quietHours ?? DEFAULT_QUIET_HOURS);
  return { ok: true, matched: byZone.reduce((sum, z) => sum + z.n, 0), ...held };
}

/** The job id names the publication, so a double publish queues one job. */
export async function enqueueVacancyMatch(queues: Enqueue, vacancyId: string, at: Date) {
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
  const done = await auditedChange(prisma, who, {
    load: visible(id),
    check: (current) =>
      current.status === "filled" || current.status === "closed"
        ? conflict(`The vacancy is already ${current.status}`)
        : {},
    write: async (tx, _plan, current) => {
      const updated = await tx.vacancy.update({
        where: { id },
        data: { status: reason, closedAt: now },
      });
      const cities = [current.cityCode];
      return {
        out: updated,
        audit: { action: "vacancies.close", target: id, details: { reason }, cities },
      };
    },
  });
  if (!done.ok) return done;
  return { ok: true, vacancy: done.out };
}

/** Open vacancies whose deadline has passed are closed (pushes not yet sent are then skipped). */
export async function closeExpiredVacancies(prisma: PrismaClient, now: Date): Promise<number> {
  const { count } = await prisma.vacancy.updateMany({
    where: { status: "open", deadline: { lte: now } },
    data: { status: "closed", closedAt: now },
  });
  return count;
}
