import type { Tx } from "../db/types.ts";
import type { Effect, Profile, Reply } from "../engine/types.ts";
import { profileColumns } from "../features/seekers/profile.ts";
import { type Released, releaseSeat, takeSeat } from "../features/trainings/seats.ts";
import type { Channel } from "../generated/prisma/client.ts";
import type { OutboxRef } from "../outbox/outbox.ts";
import { funnelRow } from "./funnel.ts";

export interface EffectScope {
  personId: string;
  channel: Channel;
  /** The message being processed: it survives a deletion as processed, without content. */
  inboundId: string;
  now: Date;
  /** For messages written to other people (a waitlist promotion). */
  serviceName: string;
  /** The person's language before the turn (the funnel records it). */
  language: string;
}

export interface Applied {
  replies: Reply[];
  language?: string;
  plainLanguage?: boolean;
  deleted: boolean;
  /** Set when this turn opened a handoff: staff are told after commit. */
  handoffId?: string;
  /** Applications ("minat") made or renewed in this turn: staff are told after commit. */
  applicationIds?: string[];
  /** Trainings someone took a seat in: their reminder jobs must exist (checked after commit). */
  seatsTaken: string[];
  /** Messages to other people written in this turn (promoted from a waitlist), queued after commit. */
  notices: OutboxRef[];
}

/** Applies the engine's effects inside the turn's transaction; replies are returned for the outbox. */
export async function applyEffects(
  tx: Tx,
  scope: EffectScope,
  effects: Effect[],
): Promise<Applied> {
  const { personId, channel } = scope;
  const applied: Applied = {
    replies: [],
    deleted: false,
    seatsTaken: [],
    notices: [],
  };
  const released = (r: Released) => {
    applied.notices.push(...r.notices);
  };
  for (const effect of effects) {
    switch (effect.type) {
      case "reply":
        applied.replies.push(effect.reply);
        break;
      case "setLanguage":
        applied.language = effect.language;
        await tx.person.update({ where: { id: personId }, data: { language: effect.language } });
        break;
      case "setPlainLanguage":
        applied.plainLanguage = effect.plain;
        await tx.person.update({ where: { id: personId }, data: { plainLanguage: effect.plain } });
        break;
      case "recordConsent":
        await tx.consentRecord.create({
          data: {
            personId,
            purpose: effect.purpose,
            granted: effect.granted,
            textVersion: effect.textVersion,
            channel,
          },
        });
        if (effect.purpose === "disability" && !effect.granted) {
          // Withdrawn or refused: no disability data is kept, nor the texts of messages
          // already delivered (a registration summary names the categories).
          await tx.seekerProfile.updateMany({
            where: { personId },
            data: { disabilityCategories: [], disabilityDeclined: true },
          });
          await tx.outbox.updateMany({
            where: { personId, status: { in: ["sent", "failed", "skipped"] } },
            data: { payload: {} },
          });
        }
        break;
      case "saveProfile":
        await saveProfile(tx, personId, effect.profile);
        break;
      case "updateProfile":
        await tx.seekerProfile.updateMany({
          where: { personId },
          data: profileColumns(effect.fields),
        });
        break;
      case "setMessaging":
        await tx.person.updateMany({
          where: { id: personId, status: { in: ["active", "stopped", "unreachable"] } },
          data: { status: effect.active ? "active" : "stopped" },
        });
        break;
      case "openHandoff":
        applied.handoffId = (
          await tx.handoff.create({ data: { personId, channel }, select: { id: true } })
        ).id;
        break;
      case "logDataRequest":
        await tx.dataRequest.create({
          data: { personId, kind: effect.kind, detail: effect.detail ?? null, channel },
        });
        break;
      case "apply": {
        const application = await tx.application.upsert({
          where: { vacancyId_personId: { vacancyId: effect.vacancyId, personId } },
          create: { vacancyId: effect.vacancyId, personId, channel },
          // Interested again after withdrawing: staff hear about it again.
          update: { status: "interested", withdrawnAt: null, notifiedAt: null, channel },
          select: { id: true },
        });
        applied.applicationIds = [...(applied.applicationIds ?? []), application.id];
        break;
      }
      case "withdraw":
        await tx.application.updateMany({
          where: { vacancyId: effect.vacancyId, personId, status: "interested" },
          data: { status: "withdrawn", withdrawnAt: scope.now },
        });
        break;
      case "enrol": {
        const seat = await takeSeat(tx, { ...effect, personId, channel, now: scope.now });
        if (seat.status === "enrolled") applied.seatsTaken.push(effect.trainingId);
        break;
      }
      case "unenrol":
        released(await releaseSeat(tx, { ...scope, trainingId: effect.trainingId }));
        break;
      case "answerReminder":
        if (effect.attending) {
          await tx.enrollment.updateMany({
            where: { trainingId: effect.trainingId, personId, status: "enrolled" },
            data: { attendance: "attending", answeredAt: scope.now },
          });
        } else {
          released(
            await releaseSeat(tx, {
              ...scope,
              trainingId: effect.trainingId,
              attendance: "absent",
            }),
          );
        }
        break;
      case "funnelStep": {
        const language = applied.language ?? scope.language;
        const row = funnelRow(effect, channel, language, scope.now);
        await tx.registrationStep.create({ data: { ...row, day: new Date(row.day) } });
        break;
      }
      case "markSeen":
        await tx.vacancyMatch.createMany({
          data: effect.matches.map((m) => ({ ...m, personId, via: "chat" })),
          skipDuplicates: true,
        });
        break;
      case "deleteData":
        applied.deleted = true;
        for (const r of await deletePersonalData(tx, scope)) released(r);
        break;
    }
  }
  return applied;
}

async function saveProfile(tx: Tx, personId: string, profile: Profile) {
  const data = profileColumns(profile) as Parameters<Tx["seekerProfile"]["create"]>[0]["data"];
  await tx.seekerProfile.upsert({
    where: { personId },
    create: { ...data, personId } as Parameters<Tx["seekerProfile"]["create"]>[0]["data"],
    update: data,
  });
}

/**
 * Erases everything personal (UU 27/2022 right to erasure). What remains is
 * an anonymous person row (a count), consent and request records without
 * content, and the channel address until the goodbye message is sent (then
 * the send worker removes it).
 */
export async function deletePersonalData(
  tx: Tx,
  scope: Omit<EffectScope, "inboundId" | "language"> & { inboundId?: string },
): Promise<Released[]> {
  const { personId } = scope;
  // Consent ends with the data: a later message must not find the old consent still given.
  await tx.consentRecord.createMany({
    data: (["data", "disability"] as const).map((purpose) => ({
      personId,
      purpose,
      granted: false,
      textVersion: "withdrawn-by-deletion",
      channel: scope.channel,
    })),
  });
  await tx.seekerProfile.deleteMany({ where: { personId } });
  await tx.handoff.deleteMany({ where: { personId } });
  await tx.application.deleteMany({ where: { personId } });
  // Their seats go to the people waiting (the reminder jobs find no enrolment and do nothing).
  const seats = await tx.enrollment.findMany({
    where: { personId, status: { in: ["enrolled", "waitlisted"] } },
    select: { trainingId: true },
  });
  const freed: Released[] = [];
  for (const seat of seats)
    freed.push(await releaseSeat(tx, { ...scope, trainingId: seat.trainingId }));
  await tx.enrollment.deleteMany({ where: { personId } });
  await tx.vacancyMatch.deleteMany({ where: { personId } });
  // Messages still waiting were written after "ya": they will start a new person (see rehome).
  await tx.inboundMessage.deleteMany({
    where: {
      personId,
      status: "processed",
      ...(scope.inboundId ? { id: { not: scope.inboundId } } : {}),
    },
  });
  await tx.outbox.deleteMany({ where: { personId, status: "pending" } });
  await tx.outbox.updateMany({ where: { personId }, data: { payload: {} } });
  // The addresses (and a phone WhatsApp gave with one) stay until the goodbye is sent; then
  // they go with everything linked to them (features/seekers/forget.ts).
  await tx.person.update({
    where: { id: personId },
    data: { status: "deleted", deletedAt: scope.now, source: null, plainLanguage: false },
  });
  return freed;
}
