/**
 * The send worker's reads and writes of outbox rows, one statement each:
 * claim a row and load what sending it needs; mark it sent and claim the
 * person's next reply; release it. A claim is atomic: not while another
 * worker holds the row, and for a reply not while an earlier reply to the
 * same address is pending (replies arrive in the order they were written).
 */
import type { SqlRunner } from "../db/sql.ts";

/** An outbox row claimed for sending, with its address and its person's status. */
export interface ClaimedRow {
  id: string;
  /** Creation order (bigint as text). */
  seq: string;
  personId: string;
  channelAccountId: string;
  kind: "reply" | "proactive";
  payload: unknown;
  subject: string | null;
  /** The channel's id of the address (chat id, JID, console user). */
  address: string;
  reachable: boolean;
  personStatus: string;
}

export type ClaimResult =
  | { claimed: ClaimedRow }
  /** Sent, failed or skipped already, or no such row. */
  | { claimed: null; pending: false }
  /** Pending, but held by another worker or behind an earlier reply. */
  | { claimed: null; pending: true };

const FREE = `(o."lockedUntil" IS NULL OR o."lockedUntil" < $3::timestamptz AT TIME ZONE 'UTC')`;
const RETURNED = `o.id, o.seq::text AS seq, o."personId", o."channelAccountId", o.kind::text AS kind,
  o.payload, o.subject`;
const WITH_ADDRESS = `c.*, a."externalId" AS address, a.reachable, p.status::text AS "personStatus"`;

const CLAIM = `
WITH claimed AS (
  UPDATE "Outbox" AS o SET "lockedUntil" = $2::timestamptz AT TIME ZONE 'UTC', attempts = o.attempts + 1
  WHERE o.id = $1::uuid AND o.status = 'pending' AND ${FREE}
    AND (o.kind <> 'reply' OR NOT EXISTS (
      SELECT 1 FROM "Outbox" AS e
      WHERE e."channelAccountId" = o."channelAccountId" AND e.kind = 'reply'
        AND e.status = 'pending' AND e.seq < o.seq))
  RETURNING ${RETURNED}
)
SELECT o.status::text AS current, ${WITH_ADDRESS}
FROM "Outbox" o
LEFT JOIN claimed c ON true
LEFT JOIN "ChannelAccount" a ON a.id = c."channelAccountId"
LEFT JOIN "Person" p ON p.id = c."personId"
WHERE o.id = $1::uuid`;

type ClaimRow = Partial<ClaimedRow> & { current: string };

/** Claims the row for `holdMs` from `now`. */
export async function claimRow(
  q: SqlRunner,
  id: string,
  now: Date,
  holdMs: number,
): Promise<ClaimResult> {
  const [row] = await q.query<ClaimRow>(CLAIM, [id, until(now, holdMs), now.toISOString()]);
  if (row?.current !== "pending") return { claimed: null, pending: false };
  if (!row.id) return { claimed: null, pending: true };
  return { claimed: toClaimed(row) };
}

const SENT = `
WITH sent AS (
  UPDATE "Outbox" SET status = 'sent', "sentAt" = $3::timestamptz AT TIME ZONE 'UTC',
    "externalId" = $2, "lockedUntil" = NULL
  WHERE id = $1::uuid
  RETURNING "channelAccountId", seq, kind
), following AS (
  SELECT o.id FROM "Outbox" o, sent
  WHERE $5::boolean AND sent.kind = 'reply' AND o."channelAccountId" = sent."channelAccountId"
    AND o.kind = 'reply' AND o.status = 'pending' AND o.seq > sent.seq
  ORDER BY o.seq LIMIT 1
), claimed AS (
  UPDATE "Outbox" AS o SET "lockedUntil" = $4::timestamptz AT TIME ZONE 'UTC', attempts = o.attempts + 1
  FROM following f
  WHERE o.id = f.id AND o.status = 'pending' AND ${FREE}
  RETURNING ${RETURNED}
)
SELECT ${WITH_ADDRESS}
FROM claimed c
JOIN "ChannelAccount" a ON a.id = c."channelAccountId"
JOIN "Person" p ON p.id = c."personId"`;

/**
 * Marks a row sent; with `claimNext`, also claims the next reply to the same
 * address when it is waiting and free (the worker sends it right away).
 */
export async function markSent(
  q: SqlRunner,
  id: string,
  externalId: string | null,
  now: Date,
  opts: { claimNext: boolean; holdMs: number },
): Promise<ClaimedRow | null> {
  // $3 is both the time sent and "now" for the next row's claim.
  const rows = await q.query<ClaimRow>(SENT, [
    id,
    externalId,
    now.toISOString(),
    until(now, opts.holdMs),
    opts.claimNext,
  ]);
  const [next] = rows;
  return next?.id ? toClaimed(next) : null;
}

/** Lets go of a claimed row without sending (a retry or another worker takes it). */
export async function releaseRow(q: SqlRunner, id: string, enqueuedAt?: Date): Promise<void> {
  await q.query(
    `UPDATE "Outbox" SET "lockedUntil" = NULL,
       "enqueuedAt" = COALESCE($2::timestamptz AT TIME ZONE 'UTC', "enqueuedAt")
     WHERE id = $1::uuid`,
    [id, enqueuedAt?.toISOString() ?? null],
  );
}

/**
 * Settles a claimed row without sending it. With `unreachable`, its address is
 * marked unreachable in the same statement: whoever sees the row failed also
 * sees the address unreachable.
 */
export async function settleRow(
  q: SqlRunner,
  id: string,
  status: "skipped" | "failed",
  reason: string,
  opts: { unreachable?: boolean } = {},
): Promise<void> {
  await q.query(
    `WITH settled AS (
       UPDATE "Outbox" SET status = $2::"OutboxStatus", reason = $3, "lockedUntil" = NULL
       WHERE id = $1::uuid RETURNING "channelAccountId"
     )
     UPDATE "ChannelAccount" SET reachable = false
     FROM settled WHERE $4::boolean AND "ChannelAccount".id = settled."channelAccountId"`,
    [id, status, reason.slice(0, 500), opts.unreachable === true],
  );
}

const until = (now: Date, ms: number) => new Date(now.getTime() + ms).toISOString();

function toClaimed(row: Partial<ClaimedRow>): ClaimedRow {
  return row as ClaimedRow;
}
