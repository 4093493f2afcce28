/**
 * Pushes of published vacancies: the matching seekers each get one message,
 * at most `cap` vacancies per person per window (the best-scoring ones win
 * when several are published together), never at night in their own time
 * zone (held until morning), and never twice: one outbox row per (vacancy,
 * person) under a unique idempotency key, written with plain multi-row SQL.
 */

import type { PrismaClient } from "../../db/types.ts";
import { cityByCode } from "../../domain/cities.ts";
import { byBestMatch } from "../../domain/matching.ts";
import type { OutboundMessage } from "../../domain/messages.ts";
import type { Enqueue } from "../../domain/queues.ts";
import { outsideQuietHours, type QuietHours } from "../../domain/quiet-hours.ts";
import { vacancyLine } from "../../engine/vacancy-replies.ts";
import type { Vacancy } from "../../generated/prisma/client.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Logger } from "../../lib/logger.ts";
import { enqueueOutbox, insertOutboxRows, type OutboxRef } from "../../outbox/outbox.ts";
import { render } from "../../outbox/render.ts";
import { type Candidate, matchCandidates, utc } from "./match-sql.ts";
import { vacancySubject } from "./subject.ts";
import { toVacancyView } from "./view.ts";

export interface PushSettings {
  /** Vacancies pushed to one person per window. Default 3. */
  cap: number;
  /** The cap's window in days. Default 7. */
  windowDays: number;
  /** No pushes then, in the person's zone; held until the end. */
  quiet: QuietHours;
  /** Rows written per transaction. Default 1000. */
  chunk?: number;
  /** A claim older than this belongs to a crashed job and may be taken over. */
  claimTtlMs?: number;
}

export interface PushDeps {
  prisma: PrismaClient;
  queues: Enqueue;
  clock: Clock;
  log: Logger;
  serviceName: string;
}

export interface PushResult {
  vacancies: number;
  /** Outbox rows written now (a retry finds the earlier ones and writes none). */
  pushed: number;
  /** Of those, held until quiet hours end. */
  held: number;
  /** Matches left out because the person reached the cap. */
  capped: number;
}

export interface Planned {
  vacancy: Vacancy;
  candidate: Candidate;
}

/** Vacancy ids the person would hear about, best first, within their remaining cap. */
export function allocate(entries: Planned[], cap: number): { send: Planned[]; capped: number } {
  const sorted = [...entries].sort((a, b) =>
    byBestMatch(
      { score: a.candidate.score, deadline: a.vacancy.deadline, ref: a.vacancy.ref },
      { score: b.candidate.score, deadline: b.vacancy.deadline, ref: b.vacancy.ref },
    ),
  );
  let remaining = cap - (sorted[0]?.candidate.recent ?? 0);
  const send: Planned[] = [];
  let capped = 0;
  for (const entry of sorted) {
    if (entry.candidate.already === "chat") continue; // they have seen it while chatting
    if (entry.candidate.already === "push") {
      remaining -= 1; // written by an earlier try of this job: it counts, nothing to write
      continue;
    }
    if (remaining > 0) {
      send.push(entry);
      remaining -= 1;
    } else capped += 1;
  }
  return { send, capped };
}

/**
 * Claims every open vacancy whose pushes are still to do, and writes them.
 * Safe to run any number of times, concurrently or after a crash.
 */
export async function pushPendingVacancies(
  deps: PushDeps,
  claim: string,
  settings: PushSettings,
): Promise<PushResult> {
  const now = deps.clock.now();
  const ttl = settings.claimTtlMs ?? 5 * 60_000;
  const claimed = await deps.prisma.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE "Vacancy" SET "pushClaim" = $1, "pushClaimedAt" = ${utc(2)}
     WHERE status = 'open' AND "pushedAt" IS NULL AND deadline > ${utc(2)}
       AND ("pushClaim" IS NULL OR "pushClaim" = $1 OR "pushClaimedAt" < ${utc(3)})
     RETURNING id`,
    claim,
    now.toISOString(),
    new Date(now.getTime() - ttl).toISOString(),
  );
  const result: PushResult = { vacancies: claimed.length, pushed: 0, held: 0, capped: 0 };
  if (claimed.length === 0) return result;
  const batch = claimed.map((c) => c.id);
  const vacancies = await deps.prisma.vacancy.findMany({ where: { id: { in: batch } } });
  const since = new Date(now.getTime() - settings.windowDays * 86_400_000);

  const bySeeker = new Map<string, Planned[]>();
  for (const vacancy of vacancies) {
    for (const candidate of await matchCandidates(deps.prisma, vacancy.id, since, batch)) {
      const list = bySeeker.get(candidate.personId);
      if (list) list.push({ vacancy, candidate });
      else bySeeker.set(candidate.personId, [{ vacancy, candidate }]);
    }
  }
  const planned: Planned[] = [];
  for (const entries of bySeeker.values()) {
    const { send, capped } = allocate(entries, settings.cap);
    planned.push(...send);
    result.capped += capped;
  }

  const chunk = settings.chunk ?? 1000;
  const payloads = new Map<string, OutboundMessage>();
  for (let i = 0; i < planned.length; i += chunk) {
    const rows = planned.slice(i, i + chunk).map((p) => {
      const zone = cityByCode(p.candidate.cityCode)?.timeZone ?? "Asia/Jakarta";
      const at = outsideQuietHours(now, zone, settings.quiet);
      return { ...p, notBefore: at > now ? at : null, payload: payloadFor(deps, p, payloads) };
    });
    const refs = await writeChunk(deps.prisma, rows, now);
    result.pushed += refs.length;
    result.held += refs.filter((r) => r.notBefore).length;
    await enqueueOutbox({ ...deps, now }, refs);
  }

  await deps.prisma.vacancy.updateMany({
    where: { id: { in: batch }, pushClaim: claim },
    data: { pushedAt: now, pushClaim: null },
  });
  return result;
}

/** The push text, rendered once per vacancy, language and plain variant. */
function payloadFor(
  deps: PushDeps,
  p: Planned,
  cache: Map<string, OutboundMessage>,
): OutboundMessage {
  const key = `${p.vacancy.id}|${p.candidate.language}|${p.candidate.plainLanguage}`;
  let payload = cache.get(key);
  if (!payload) {
    const message: OutboundMessage = render(
      {
        key: "vacancy.push",
        params: { line: vacancyLine(toVacancyView(p.vacancy)), ref: p.vacancy.ref },
      },
      {
        language: p.candidate.language,
        plainLanguage: p.candidate.plainLanguage,
        serviceName: deps.serviceName,
      },
    );
    payload = message;
    cache.set(key, payload);
  }
  return payload;
}

/** One transaction: the matches (the cap's record) and their outbox rows, skipping any written before. */
export async function writeChunk(
  prisma: PrismaClient,
  rows: (Planned & { notBefore: Date | null; payload: OutboundMessage })[],
  now: Date,
): Promise<OutboxRef[]> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(
      `INSERT INTO "VacancyMatch" ("vacancyId", "personId", score, via, "createdAt")
       SELECT u.v, u.p, u.s, 'push', ${utc(4)} FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS u(v, p, s)
       ON CONFLICT DO NOTHING`,
      rows.map((r) => r.vacancy.id),
      rows.map((r) => r.candidate.personId),
      rows.map((r) => r.candidate.score),
      now.toISOString(),
    );
    return insertOutboxRows(
      tx,
      rows.map((r) => ({
        personId: r.candidate.personId,
        channelAccountId: r.candidate.accountId,
        channel: r.candidate.channel,
        idempotencyKey: `vacancy-${r.vacancy.id}-${r.candidate.personId}`,
        payload: r.payload,
        notBefore: r.notBefore,
        subject: vacancySubject(r.vacancy.id),
      })),
      now,
    );
  });
}
