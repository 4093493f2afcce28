import type { Tx } from "../db/types.ts";
import { step } from "../engine/engine.ts";
import { isConversationState } from "../engine/state.ts";
import type { StepResult } from "../engine/types.ts";
import { loadPersonView } from "../features/seekers/person-view.ts";
import { DEFAULT_REMINDER_SETTINGS, ensureReminders } from "../features/trainings/reminders.ts";
import { SeatsChanged } from "../features/trainings/seats.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { type OutboxRef, writeOutbox } from "../outbox/outbox.ts";
import { render, renderTurn } from "../outbox/render.ts";
import { applyEffects } from "./apply-effects.ts";
import { loadCatalog } from "./catalog.ts";
import { dispatchOutbox, type RunnerDeps } from "./deps.ts";
import { failedStep, toEngineInput } from "./turn-input.ts";

export interface ProcessOutcome {
  processed: number;
  replies: number;
  /** Another worker holds the person: try again shortly (it may have handled the message). */
  busy?: boolean;
}

/** PostgreSQL's "could not obtain lock" (55P03), as Prisma's driver adapter reports it. */
function isLockBusy(error: unknown): boolean {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } })
    .meta?.driverAdapterError?.cause;
  return cause?.originalCode === "55P03";
}

/**
 * Processes a person's stored inbound messages one at a time, oldest first.
 * Each message is one short transaction that holds a lock on the person, so
 * any number of workers can call this for the same person: they take turns,
 * and each message is handled once and in order.
 */
export async function drainPerson(deps: RunnerDeps, personId: string): Promise<ProcessOutcome> {
  const outcome: ProcessOutcome = { processed: 0, replies: 0 };
  for (;;) {
    let next: Awaited<ReturnType<typeof processNext>>;
    try {
      next = await processNextFresh(deps, personId);
    } catch (error) {
      if (isLockBusy(error)) return { ...outcome, busy: true };
      throw error;
    }
    if (next === null) return outcome;
    outcome.processed += 1;
    outcome.replies += next.refs.length;
    await dispatchOutbox(deps, next.refs);
    if (next.handoffId) await enqueueHandoffNotice(deps, next.handoffId);
    for (const id of next.applicationIds ?? []) await enqueueApplicationNotice(deps, id);
    if (next.seats) await afterSeats(deps, next.seats);
    if (next.rehomed) await drainPerson(deps, next.rehomed);
    if (!next.more) return outcome;
  }
}

/** Seats changed while the person chose (someone took the last one): run the turn again on fresh data. */
async function processNextFresh(deps: RunnerDeps, personId: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await processNext(deps, personId);
    } catch (error) {
      if (!(error instanceof SeatsChanged) || attempt >= 3) throw error;
    }
  }
}

/** After a turn that took or gave up seats: the trainings' reminders exist, people moved up are told. */
async function afterSeats(deps: RunnerDeps, seats: { taken: string[]; notices: OutboxRef[] }) {
  const now = deps.clock.now();
  await ensureReminders(deps, seats.taken, now, deps.reminders ?? DEFAULT_REMINDER_SETTINGS);
  await dispatchOutbox(deps, seats.notices);
}

/** One message: engine step and all its writes in one transaction. Null when nothing is left. */
async function processNext(
  deps: RunnerDeps,
  personId: string,
): Promise<{
  refs: OutboxRef[];
  more: boolean;
  handoffId?: string;
  applicationIds?: string[];
  seats?: { taken: string[]; notices: OutboxRef[] };
  rehomed?: string;
} | null> {
  return deps.prisma.$transaction(
    async (tx) => {
      // NOWAIT: if another worker holds this person, it is processing their messages in order
      // already; waiting here would only tie up a connection (the job looks again shortly).
      const [locked] = await tx.$queryRaw<{ status: string }[]>`
        SELECT status::text AS status FROM "Person" WHERE id = ${personId}::uuid FOR UPDATE NOWAIT`;
      // Two: the one to process, and whether another is waiting (saves an empty round when not).
      const [message, following] = await tx.inboundMessage.findMany({
        where: { personId, status: "received" },
        orderBy: { seq: "asc" },
        take: 2,
      });
      if (!message) return null;
      if (locked?.status === "deleted") {
        // Written just as their data was deleted: it starts a new person, never the old one.
        const rehomed = await rehome(tx, message.channelAccountId, deps.clock.now());
        return { refs: [], more: false, ...(rehomed ? { rehomed } : {}) };
      }
      const now = deps.clock.now();
      const { conversation, ...person } = await loadPersonView(
        tx,
        personId,
        message.channelAccountId,
      );
      const saved = conversation?.state;
      const state = isConversationState(saved) ? saved : null;
      let result: StepResult;
      try {
        const input = toEngineInput(message.payload);
        result = step(state, input, { now, person });
        // The turn asked for the open vacancies: load them and run it again (nothing happened yet).
        if (result.needs === "catalog") {
          const catalog = await loadCatalog(tx, personId, now);
          result = step(state, input, { now, person, catalog });
        }
      } catch (error) {
        // A bug must not swallow the message or stop the queue: apologise, keep the state.
        deps.log.error({ err: (error as Error).message, personId }, "engine failed on a message");
        result = failedStep(state, now);
      }

      const scope = {
        personId,
        channel: message.channel,
        inboundId: message.id,
        now,
        serviceName: deps.serviceName,
        language: person.language,
      };
      const applied = await applyEffects(tx, scope, result.effects);
      const language = applied.language ?? person.language;
      const plainLanguage = applied.plainLanguage ?? person.plainLanguage;

      if (applied.deleted) {
        await tx.conversation.deleteMany({ where: { personId } });
      } else {
        await saveState(tx, personId, result.state, conversation?.version);
      }
      const keepForStaff =
        !applied.deleted && (person.handoffOpen || applied.handoffId !== undefined);
      await tx.inboundMessage.update({
        where: { id: message.id },
        // Kept for staff while a handoff is open; otherwise no more personal data than needed.
        data: {
          status: "processed",
          processedAt: now,
          ...(keepForStaff ? {} : { payload: Prisma.DbNull }),
        },
      });
      await tx.person.update({ where: { id: personId }, data: { lastActiveAt: now } });
      const refs = await writeOutbox(
        tx,
        renderTurn(applied.replies, {
          language,
          plainLanguage,
          serviceName: deps.serviceName,
        }).map((payload) => ({
          personId,
          channelAccountId: message.channelAccountId,
          channel: message.channel,
          kind: "reply" as const,
          inboundId: message.id,
          payload,
        })),
      );
      return {
        refs,
        more: following !== undefined,
        handoffId: applied.handoffId,
        applicationIds: applied.applicationIds,
        seats: { taken: applied.seatsTaken, notices: applied.notices },
      };
    },
    { maxWait: 10_000, timeout: 15_000 },
  );
}

export async function saveState(tx: Tx, personId: string, state: object, version?: number) {
  if (version === undefined) {
    await tx.conversation.create({ data: { personId, state } });
  } else {
    await tx.conversation.update({ where: { personId }, data: { state, version: version + 1 } });
  }
}

/** Staff hear about a new handoff; the relay re-queues notices a crash left unsent. */
export async function enqueueHandoffNotice(deps: Pick<RunnerDeps, "queues">, handoffId: string) {
  await deps.queues.get("notify").add("handoff", { handoffId }, { jobId: `handoff-${handoffId}` });
}

/** Staff hear about a new application ("minat"); the relay re-queues notices a crash left unsent. */
export async function enqueueApplicationNotice(
  deps: Pick<RunnerDeps, "queues">,
  applicationId: string,
) {
  await deps.queues
    .get("notify")
    .add("application", { applicationId }, { jobId: `application-${applicationId}` });
}

/**
 * After the last failed attempt at a message (a database that stayed down, a
 * message that always breaks something), stop trying: mark it processed so
 * the person's later messages are not held up behind it, and apologise.
 */
export async function giveUpInbound(deps: RunnerDeps, inboundId: string): Promise<void> {
  const refs = await deps.prisma.$transaction(async (tx) => {
    const message = await tx.inboundMessage.findUnique({ where: { id: inboundId } });
    if (message?.status !== "received") return [];
    const person = await tx.person.findUniqueOrThrow({ where: { id: message.personId } });
    await tx.inboundMessage.update({
      where: { id: inboundId },
      data: { status: "processed", processedAt: deps.clock.now(), payload: Prisma.DbNull },
    });
    const reply = render(
      { key: "error.generic" },
      {
        language: person.language,
        plainLanguage: person.plainLanguage,
        serviceName: deps.serviceName,
      },
    );
    return writeOutbox(tx, [
      {
        personId: message.personId,
        channelAccountId: message.channelAccountId,
        channel: message.channel,
        kind: "reply",
        inboundId,
        payload: reply,
      },
    ]);
  });
  await dispatchOutbox(deps, refs);
}

/** Moves a channel address and its waiting messages to a new person; returns the new id. */
async function rehome(tx: Tx, channelAccountId: string, now: Date): Promise<string | undefined> {
  const account = await tx.channelAccount.findUnique({ where: { id: channelAccountId } });
  if (!account) {
    // The address went with the deleted data (the goodbye was sent): nobody to answer. The
    // messages are closed, without their content, so they do not wait forever.
    await tx.inboundMessage.updateMany({
      where: { channelAccountId, status: "received" },
      data: { status: "processed", processedAt: now, payload: Prisma.DbNull },
    });
    return undefined;
  }
  const fresh = await tx.person.create({ data: {}, select: { id: true } });
  await tx.channelAccount.update({ where: { id: channelAccountId }, data: { personId: fresh.id } });
  await tx.inboundMessage.updateMany({
    where: { channelAccountId, status: "received" },
    data: { personId: fresh.id },
  });
  return fresh.id;
}
