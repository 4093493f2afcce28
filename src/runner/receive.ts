import { randomUUID } from "node:crypto";
import type { InboundMessage } from "../channels/types.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { cleanText } from "../lib/text.ts";
import type { RunnerDeps } from "./deps.ts";

export interface Received {
  inboundId: string;
  personId: string;
  /** The same channel message id was stored before: nothing new to do. */
  duplicate: boolean;
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/**
 * Stores an inbound message durably (finding or creating the person), then
 * queues it for processing. Adapters acknowledge to their platform only after
 * this resolves, so a crash never loses a message; a repeated delivery is
 * recognised by its channel message id and processed once.
 */
export async function receive(deps: RunnerDeps, msg: InboundMessage): Promise<Received> {
  const stored = await storeInbound(deps, { ...msg, text: cleanText(msg.text) });
  if (!stored.duplicate) await enqueueInbound(deps, stored);
  return stored;
}

export async function enqueueInbound(
  deps: Pick<RunnerDeps, "queues">,
  stored: { inboundId: string; personId: string },
): Promise<void> {
  await deps.queues
    .get("inbound")
    .add(
      "inbound",
      { personId: stored.personId, inboundId: stored.inboundId },
      { jobId: `in-${stored.inboundId}` },
    );
}

/**
 * One statement for the usual message: from a known, reachable address of a
 * person who has not deleted their data, with no new phone number. Null
 * (nothing written) for everything else, which takes the careful path below.
 */
const STORE_KNOWN = `
WITH account AS (
  SELECT a.id, a."personId" FROM "ChannelAccount" a JOIN "Person" p ON p.id = a."personId"
  WHERE a.channel = $1::"Channel" AND a."externalId" = $2 AND a.reachable
    AND p.status <> 'deleted' AND ($3::text IS NULL OR a.phone IS NOT DISTINCT FROM $3)
), stored AS (
  INSERT INTO "InboundMessage"
    (id, channel, "externalMessageId", "personId", "channelAccountId", "receivedAt", payload)
  SELECT $4::uuid, $1::"Channel", $5, account."personId", account.id,
         $6::timestamptz AT TIME ZONE 'UTC', $7::jsonb
  FROM account
  ON CONFLICT (channel, "externalMessageId") DO NOTHING
  RETURNING id, "personId"
)
SELECT (SELECT "personId" FROM account) AS account, (SELECT id FROM stored) AS stored`;

async function storeKnown(deps: RunnerDeps, msg: InboundMessage): Promise<Received | null> {
  const id = randomUUID();
  const [row] = await deps.sql.query<{ account: string | null; stored: string | null }>(
    STORE_KNOWN,
    [
      msg.channel,
      msg.externalUserId,
      msg.phone ?? null,
      id,
      msg.externalMessageId,
      msg.receivedAt.toISOString(),
      JSON.stringify(payloadOf(msg)),
    ],
  );
  if (!row?.account || !row.stored) return null;
  return { inboundId: row.stored, personId: row.account, duplicate: false };
}

const payloadOf = (msg: InboundMessage) => ({
  text: msg.text,
  ...(msg.choice ? { choice: msg.choice } : {}),
  ...(msg.media ? { media: msg.media } : {}),
  ...(msg.source ? { source: msg.source } : {}),
});

async function storeInbound(deps: RunnerDeps, msg: InboundMessage): Promise<Received> {
  const known = await storeKnown(deps, msg);
  if (known) return known;
  const { prisma } = deps;
  const account = await findOrCreateAccount(deps, msg);
  try {
    const row = await prisma.inboundMessage.create({
      data: {
        channel: msg.channel,
        externalMessageId: msg.externalMessageId,
        personId: account.personId,
        channelAccountId: account.id,
        receivedAt: msg.receivedAt,
        payload: payloadOf(msg),
      },
      select: { id: true },
    });
    return { inboundId: row.id, personId: account.personId, duplicate: false };
  } catch (error) {
    // Stored before (a repeated delivery, or two copies at the same moment).
    if (!isUniqueViolation(error)) throw error;
    const existing = await prisma.inboundMessage.findUniqueOrThrow({
      where: {
        channel_externalMessageId: {
          channel: msg.channel,
          externalMessageId: msg.externalMessageId,
        },
      },
      select: { id: true, personId: true },
    });
    return { inboundId: existing.id, personId: existing.personId, duplicate: true };
  }
}

class AddressGone extends Error {}

async function findOrCreateAccount(
  deps: RunnerDeps,
  msg: InboundMessage,
): Promise<{ id: string; personId: string }> {
  const where = {
    channel_externalId: { channel: msg.channel, externalId: msg.externalUserId },
  };
  const found = await deps.prisma.channelAccount.findUnique({
    where,
    include: { person: { select: { status: true } } },
  });
  if (found?.person.status === "deleted") {
    // They deleted their data and wrote again before the address was removed: a new person.
    const moved = await deps.prisma
      .$transaction(async (tx) => {
        const fresh = await tx.person.create({ data: { source: msg.source ?? null } });
        const { count } = await tx.channelAccount.updateMany({
          where: { id: found.id },
          data: { personId: fresh.id, phone: msg.phone ?? null, reachable: true },
        });
        // The address was removed meanwhile (after the goodbye): fall through to a new account.
        if (count === 0) throw new AddressGone();
        return { id: found.id, personId: fresh.id };
      })
      .catch((error) => {
        if (error instanceof AddressGone) return null;
        throw error;
      });
    if (moved) return moved;
  } else if (found) {
    // A message from them means they can be reached (again, after blocking the bot).
    if ((msg.phone && found.phone !== msg.phone) || !found.reachable) {
      await deps.prisma.channelAccount.update({
        where: { id: found.id },
        data: { reachable: true, ...(msg.phone ? { phone: msg.phone } : {}) },
      });
    }
    return found;
  }
  try {
    return await deps.prisma.channelAccount.create({
      data: {
        channel: msg.channel,
        externalId: msg.externalUserId,
        phone: msg.phone ?? null,
        person: { create: { source: msg.source ?? null } },
      },
      select: { id: true, personId: true },
    });
  } catch (error) {
    // Two first messages of a new person at once: use the account the other made.
    if (!isUniqueViolation(error)) throw error;
    return deps.prisma.channelAccount.findUniqueOrThrow({ where });
  }
}
