/**
 * One message from a staff member in a chat, answered: the guided broadcast,
 * /stats, the open handoffs, and replies to them. The same features and the
 * same checks (city scope, audit log) as the staff API.
 */

import type { PrismaClient } from "../../db/types.ts";
import type { Enqueue } from "../../domain/queues.ts";
import type { QuietHours } from "../../domain/quiet-hours.ts";
import { parseYesNo } from "../../domain/yes-no.ts";
import type { Clock } from "../../lib/clock.ts";
import type { RedisKeys } from "../../lib/redis-keys.ts";
import { cleanText } from "../../lib/text.ts";
import { createBroadcast, messageWarnings, previewBroadcast } from "../broadcasts/mutations.ts";
import { MESSAGE_MAX, type Segment } from "../broadcasts/schema.ts";
import { segmentSubject } from "../broadcasts/segment.ts";
import { scopeWhere as handoffScope } from "../handoffs/data.ts";
import { closeHandoff, replyToHandoff } from "../handoffs/mutations.ts";
import {
  handoffInNotice,
  parseCommand,
  parseSegment,
  type StaffChatState,
} from "./chat-commands.ts";
import { staffStats } from "./stats.ts";
import type { StaffPrincipal } from "./tokens.ts";

export interface StaffChatDeps {
  prisma: PrismaClient;
  /** Queues for what the commands start; the staff chat keeps its steps beside them. */
  queues: Enqueue & RedisKeys;
  clock: Clock;
  /** When announcements wait for the morning (default 21:00-07:00). */
  quietHours?: QuietHours;
}

/** A moment shown in the reader's language, in a zone ("07.00 WITA"). */
export interface StaffTime {
  at: string;
  timeZone: string;
}

/** A message key of `staffChat.*` with its values. */
export interface StaffReply {
  key: string;
  params?: Record<string, string | number | StaffTime>;
}

export interface StaffTurn {
  replies: StaffReply[];
  /** Where the staff member is now; null = no guided step. */
  state: StaffChatState | null;
}

const say = (key: string, params?: StaffReply["params"]): StaffReply =>
  params ? { key, params } : { key };

export async function staffChatTurn(
  deps: StaffChatDeps,
  who: StaffPrincipal,
  state: StaffChatState | null,
  input: string,
  /** The text of the bot's message this one replies to (Telegram "reply"), if any. */
  repliedTo?: string,
): Promise<StaffTurn> {
  const text = cleanText(input).trim();
  const command = parseCommand(text);
  const keep = (replies: StaffReply[]): StaffTurn => ({ replies, state });
  if (command) {
    switch (command.kind) {
      case "broadcast":
        return { replies: [say("staffChat.broadcast.askText")], state: { step: "text" } };
      case "cancel":
        return {
          replies: [say(state ? "staffChat.cancelled" : "staffChat.nothingToCancel")],
          state: null,
        };
      case "stats":
        return keep([await stats(deps, who)]);
      case "handoffs":
        return keep([await openHandoffs(deps, who)]);
      case "reply":
        return keep([await reply(deps, who, command.handoff, command.text)]);
      case "close":
        return keep([await close(deps, who, command.handoff)]);
      case "help":
        return keep([say("staffChat.help")]);
    }
  }
  const noticed = repliedTo ? handoffInNotice(repliedTo) : null;
  if (!state && noticed && text) return keep([await reply(deps, who, noticed, text)]);
  if (!state) return keep([say("staffChat.help")]);
  return broadcastStep(deps, who, state, text);
}

async function broadcastStep(
  deps: StaffChatDeps,
  who: StaffPrincipal,
  state: StaffChatState,
  text: string,
): Promise<StaffTurn> {
  const stay = (key: string, params?: StaffReply["params"]): StaffTurn => ({
    replies: [say(key, params)],
    state,
  });
  switch (state.step) {
    case "text":
      if (!text) return stay("staffChat.broadcast.askText");
      if (text.length > MESSAGE_MAX)
        return stay("staffChat.broadcast.tooLong", { max: MESSAGE_MAX });
      return {
        replies: [say("staffChat.broadcast.askEnglish")],
        state: { step: "english", id: text },
      };
    case "english": {
      if (text.length > MESSAGE_MAX)
        return stay("staffChat.broadcast.tooLong", { max: MESSAGE_MAX });
      const skip = !text || ["-", "lewati", "skip", "tidak", "no"].includes(text.toLowerCase());
      return {
        replies: [say("staffChat.broadcast.askSegment")],
        state: { step: "segment", id: state.id, ...(skip ? {} : { en: text }) },
      };
    }
    case "segment": {
      const answer = parseSegment(text);
      if ("error" in answer)
        return stay("staffChat.broadcast.segmentUnknown", { part: answer.part });
      const segment: Segment = { ...answer.segment };
      if (answer.trainingRef !== undefined) {
        const id = await segmentSubject(deps.prisma, "training", answer.trainingRef, who.cities);
        if (!id) return stay("staffChat.broadcast.noTraining", { ref: answer.trainingRef });
        segment.trainingId = id;
      }
      if (answer.vacancyRef !== undefined) {
        const id = await segmentSubject(deps.prisma, "vacancy", answer.vacancyRef, who.cities);
        if (!id) return stay("staffChat.broadcast.noVacancy", { ref: answer.vacancyRef });
        segment.vacancyId = id;
      }
      const preview = await previewBroadcast(deps.prisma, segment, who);
      if (!preview.ok) return stay("staffChat.broadcast.outsideScope");
      const warnings = messageWarnings({ id: state.id, ...(state.en ? { en: state.en } : {}) });
      return {
        replies: [
          ...(warnings.length > 0
            ? [
                say("staffChat.broadcast.warnings", {
                  rules: warnings.map((w) => w.detail).join("; "),
                }),
              ]
            : []),
          say("staffChat.broadcast.confirm", {
            count: preview.count,
            stopped: preview.skipped.stopped,
            unreachable: preview.skipped.unreachable,
          }),
        ],
        state: { step: "confirm", id: state.id, ...(state.en ? { en: state.en } : {}), segment },
      };
    }
    case "confirm": {
      const yes = parseYesNo(text);
      if (yes === "no") return { replies: [say("staffChat.cancelled")], state: null };
      if (yes !== "yes") return stay("staffChat.broadcast.confirmAgain");
      const created = await createBroadcast(
        deps,
        {
          message: { id: state.id, ...(state.en ? { en: state.en } : {}) },
          segment: state.segment,
        },
        who,
        deps.clock.now(),
      );
      if (!created.ok) return { replies: [say("staffChat.broadcast.outsideScope")], state: null };
      return {
        replies: [
          say("staffChat.broadcast.sent", { ref: created.broadcast.ref, count: created.count }),
          // During quiet hours: how many wait for the morning, per zone, and until when.
          ...created.held.zones.map((z) =>
            say("staffChat.broadcast.held", {
              count: z.held,
              until: { at: z.until.toISOString(), timeZone: z.timeZone },
            }),
          ),
        ],
        state: null,
      };
    }
  }
}

/** An open handoff in the caller's cities by its short number (one, or none if ambiguous). */
async function findHandoff(deps: StaffChatDeps, who: StaffPrincipal, short: string) {
  const candidates = await deps.prisma.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM "Handoff" WHERE status = 'open' AND id::text LIKE $1`,
    `${short}%`,
  );
  if (candidates.length === 0) return null;
  const visible = await deps.prisma.handoff.findMany({
    where: { id: { in: candidates.map((c) => c.id) }, ...handoffScope(who.cities) },
    take: 2,
  });
  return visible.length === 1 ? visible[0]! : null;
}

async function reply(deps: StaffChatDeps, who: StaffPrincipal, short: string, text: string) {
  const handoff = await findHandoff(deps, who, short);
  if (!handoff) return say("staffChat.handoff.notFound", { id: short });
  const sent = await replyToHandoff(deps, handoff.id, text, who, deps.clock.now());
  if (sent.ok) return say("staffChat.handoff.replied", { id: short });
  return sent.message.includes("reached")
    ? say("staffChat.handoff.unreachable", { id: short })
    : say("staffChat.handoff.closedAlready", { id: short });
}

async function close(deps: StaffChatDeps, who: StaffPrincipal, short: string) {
  const handoff = await findHandoff(deps, who, short);
  if (!handoff) return say("staffChat.handoff.notFound", { id: short });
  const closed = await closeHandoff(deps.prisma, handoff.id, who, deps.clock.now());
  return closed.ok
    ? say("staffChat.handoff.closed", { id: short })
    : say("staffChat.handoff.closedAlready", { id: short });
}

async function openHandoffs(deps: StaffChatDeps, who: StaffPrincipal): Promise<StaffReply> {
  const open = await deps.prisma.handoff.findMany({
    where: { status: "open", ...handoffScope(who.cities) },
    orderBy: { createdAt: "asc" },
    take: 20,
    select: { id: true, channel: true, createdAt: true },
  });
  if (open.length === 0) return say("staffChat.handoff.none");
  const now = deps.clock.now().getTime();
  const lines = open
    .map(
      (h) =>
        `${h.id.slice(0, 8)} (${h.channel}, ${Math.round((now - h.createdAt.getTime()) / 60_000)} min)`,
    )
    .join("\n");
  return say("staffChat.handoff.list", { count: open.length, lines });
}

/** Counts only: no names, nothing about any one person. */
async function stats(deps: StaffChatDeps, who: StaffPrincipal): Promise<StaffReply> {
  return say("staffChat.stats", { ...(await staffStats(deps.prisma, who, deps.clock.now())) });
}
