import { randomUUID } from "node:crypto";
import type { Sql } from "../db/sql.ts";
import type { InboundMessage } from "../domain/messages.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { MicroBatch } from "../lib/micro-batch.ts";
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
 * person who has not deleted their data, with no new phone number. A row
 * whose `stored` is null wrote nothing and takes the careful path below.
 * Messages arriving together share the statement (MicroBatch), stored in
 * their order of arrival.
 */
const STORE_KNOWN = `
WITH x AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
    ord int, channel text, "user" text, phone text, id uuid, "messageId" text,
    "receivedAt" text, payload jsonb)
), account AS (
  SELECT x.ord, a.id, a."personId" FROM x
  JOIN "ChannelAccount" a ON a.channel = x.channel::"Channel" AND a."externalId" = x."user"
  JOIN "Person" p ON p.id = a."personId"
  WHERE a.reachable AND p.status <> 'deleted'
    AND (x.phone IS NULL OR a.phone IS NOT DISTINCT FROM x.phone)
  -- Before the message gets its seq: see storeInbound.
  FOR KEY SHARE OF p
), stored AS (
  INSERT INTO "InboundMessage"
    (id, channel, "externalMessageId", "personId", "channelAccountId", "receivedAt", payload)
  SELECT x.id, x.channel::"Channel", x."messageId", account."personId", account.id,
         (x."receivedAt")::timestamptz AT TIME ZONE 'UTC', x.payload
  FROM x JOIN account ON account.ord = x.ord
  ORDER BY x.ord
  ON CONFLICT (channel, "externalMessageId") DO NOTHING
  RETURNING id
)
SELECT x.ord, account."personId", stored.id AS stored,
  -- Looked up only for a message not stored: whether its address is new.
  CASE WHEN stored.id IS NULL THEN EXISTS (
    SELECT 1 FROM "ChannelAccount" a
    WHERE a.channel = x.channel::"Channel" AND a."externalId" = x."user") END AS known
FROM x LEFT JOIN account ON account.ord = x.ord LEFT JOIN stored ON stored.id = x.id`;

/** Stored; or not, and whether the address is new to the service. */
type KnownResult = Received | { address: "new" | "known" };

/** One MicroBatch per database for `run`, made on first use. */
function perDatabase<O>(run: (sql: Sql, messages: InboundMessage[]) => Promise<O[]>) {
  const batches = new WeakMap<Sql, MicroBatch<InboundMessage, O>>();
  return (sql: Sql, msg: InboundMessage): Promise<O> => {
    let batch = batches.get(sql);
    if (!batch) {
      batch = new MicroBatch((messages) => run(sql, messages));
      batches.set(sql, batch);
    }
    return batch.run(msg);
  };
}

// One batch at a time (MicroBatch): a person's next message is numbered after their previous
// one even when that one waits for a worker holding the person (a wait of one batch at most).
const storeKnownBatched = perDatabase(storeKnownMany);

function storeKnown(deps: RunnerDeps, msg: InboundMessage): Promise<KnownResult> {
  // A batch that failed as a whole (one odd message) leaves each to the careful path.
  return storeKnownBatched(deps.sql, msg).catch(() => ({ address: "known" as const }));
}

async function storeKnownMany(sql: Sql, messages: InboundMessage[]): Promise<KnownResult[]> {
  const input = messages.map((msg, ord) => ({
    ord,
    channel: msg.channel,
    user: msg.externalUserId,
    phone: msg.phone ?? null,
    id: randomUUID(),
    messageId: msg.externalMessageId,
    receivedAt: msg.receivedAt.toISOString(),
    payload: payloadOf(msg),
  }));
  const rows = await sql.query<{
    ord: number;
    personId: string | null;
    stored: string | null;
    known: boolean | null;
  }>(STORE_KNOWN, [JSON.stringify(input)]);
  const byOrd = new Map(rows.map((r) => [r.ord, r]));
  return messages.map((_, ord) => {
    const row = byOrd.get(ord);
    if (!row?.personId || !row.stored) return { address: row?.known === false ? "new" : "known" };
    return { inboundId: row.stored, personId: row.personId, duplicate: false };
  });
}

const NEW_ACCOUNTS = `
WITH x AS (
  SELECT DISTINCT ON (channel, "user") *
  FROM jsonb_to_recordset($1::jsonb)
    AS x(ord int, channel text, "user" text, phone text, source text, person uuid, account uuid)
  ORDER BY channel, "user", ord
), people AS (
  INSERT INTO "Person" (id, source, "updatedAt") SELECT person, source, now() FROM x
), accounts AS (
  INSERT INTO "ChannelAccount" (id, "personId", channel, "externalId", phone)
  SELECT account, person, channel::"Channel", "user", phone FROM x
  ON CONFLICT (channel, "externalId") DO NOTHING
  RETURNING id, "personId", channel::text AS channel, "externalId"
)
SELECT * FROM accounts`;

/**
 * New addresses: their people and accounts, many in one short transaction.
 * Resolves once the address has an account (made here, or by someone else at
 * the same moment: then the person made here is removed again, in the same
 * transaction, so nothing is left behind).
 */
function createAccount(sql: Sql, msg: InboundMessage): Promise<boolean> {
  return createAccountsBatched(sql, msg).catch(() => false);
}

async function createAccounts(sql: Sql, messages: InboundMessage[]): Promise<boolean[]> {
  const input = messages.map((msg, ord) => ({
    ord,
    channel: msg.channel,
    user: msg.externalUserId,
    phone: msg.phone ?? null,
    source: msg.source ?? null,
    person: randomUUID(),
    account: randomUUID(),
  }));
  await sql.transaction(async (q) => {
    const made = await q.query<{ personId: string }>(NEW_ACCOUNTS, [JSON.stringify(input)]);
    if (made.length < new Set(input.map((i) => `${i.channel}\u0000${i.user}`)).size) {
      // Someone else made some of these accounts meanwhile: drop the people made for them.
      await q.query(
        `DELETE FROM "Person" WHERE id = ANY($1::uuid[]) AND NOT (id = ANY($2::uuid[]))`,
        [input.map((i) => i.person), made.map((m) => m.personId)],
      );
    }
  });
  return messages.map(() => true);
}

const createAccountsBatched = perDatabase(createAccounts);

const payloadOf = (msg: InboundMessage) => ({
  text: msg.text,
  ...(msg.choice ? { choice: msg.choice } : {}),
  ...(msg.media ? { media: msg.media } : {}),
  ...(msg.source ? { source: msg.source } : {}),
});

async function storeInbound(deps: RunnerDeps, msg: InboundMessage): Promise<Received> {
  let known = await storeKnown(deps, msg);
  if ("inboundId" in known) return known;
  // A first message: the address gets its person, then the message is stored as any other.
  if (known.address === "new" && (await createAccount(deps.sql, msg))) {
    known = await storeKnown(deps, msg);
    if ("inboundId" in known) return known;
  }
  const { prisma } = deps;
  const account = await findOrCreateAccount(deps, msg);
  // The person's key lock comes before the message's place in line (seq): a worker that
  // holds the person (FOR UPDATE) has seen every message numbered before it, and one
  // numbered after it waits. Without it, a message could get a lower seq yet commit after
  // a higher one was processed.
  const [row] = await deps.sql.query<{ id: string }>(
    `WITH person AS (SELECT id FROM "Person" WHERE id = $1::uuid FOR KEY SHARE)
     INSERT INTO "InboundMessage"
       (id, channel, "externalMessageId", "personId", "channelAccountId", "receivedAt", payload)
     SELECT $2::uuid, $3::"Channel", $4, person.id, $5::uuid,
            $6::timestamptz AT TIME ZONE 'UTC', $7::jsonb
     FROM person
     ON CONFLICT (channel, "externalMessageId") DO NOTHING
     RETURNING id`,
    [
      account.personId,
      randomUUID(),
      msg.channel,
      msg.externalMessageId,
      account.id,
      msg.receivedAt.toISOString(),
      JSON.stringify(payloadOf(msg)),
    ],
  );
  if (row) return { inboundId: row.id, personId: account.personId, duplicate: false };
  // Stored before (a repeated delivery, or two copies at the same moment).
  const existing = await prisma.inboundMessage.findUniqueOrThrow({
    where: {
      channel_externalMessageId: { channel: msg.channel, externalMessageId: msg.externalMessageId },
    },
    select: { id: true, personId: true },
  });
  return { inboundId: existing.id, personId: existing.personId, duplicate: true };
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
