/**
 * The send worker's reads and writes of outbox rows, one statement each:
 * claim a row and load what sending it needs; mark it sent and claim the
 * person's next reply; release it. A claim is atomic: not while another
 * worker holds the row, and for a reply not while an earlier reply to the
 * same address is pending (replies arrive in the order they were written).
 */
import type { Sql, SqlRunner } from "../db/sql.ts";
import { MicroBatch } from "../lib/micro-batch.ts";

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

const RETURNED = `o.id, o.seq::text AS seq, o."personId", o."channelAccountId", o.kind::text AS kind,
  o.payload, o.subject`;
const WITH_ADDRESS = `a."externalId" AS address, a.reachable, p.status::text AS "personStatus"`;
/** The row is not held by a worker (or its hold has run out) at `x.now`. */
const FREE = `(o."lockedUntil" IS NULL OR o."lockedUntil" < (x.now)::timestamptz AT TIME ZONE 'UTC')`;

const CLAIM = `
WITH x AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, now text, until text)
), claimed AS (
  UPDATE "Outbox" AS o
  SET "lockedUntil" = (x.until)::timestamptz AT TIME ZONE 'UTC', attempts = o.attempts + 1
  FROM x
  WHERE o.id = x.id AND o.status = 'pending' AND ${FREE}
    AND (o.kind <> 'reply' OR NOT EXISTS (
      SELECT 1 FROM "Outbox" AS e
      WHERE e."channelAccountId" = o."channelAccountId" AND e.kind = 'reply'
        AND e.status = 'pending' AND e.seq < o.seq))
  RETURNING ${RETURNED}
)
SELECT x.id AS asked, o.status::text AS current, c.*, ${WITH_ADDRESS}
FROM x
LEFT JOIN "Outbox" o ON o.id = x.id
LEFT JOIN claimed c ON c.id = x.id
LEFT JOIN "ChannelAccount" a ON a.id = c."channelAccountId"
LEFT JOIN "Person" p ON p.id = c."personId"`;

type ClaimRow = Partial<ClaimedRow> & { asked: string; current: string | null };

const SENT = `
WITH x AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
    AS x(id uuid, "externalId" text, now text, until text, next boolean)
), sent AS (
  UPDATE "Outbox" o SET status = 'sent', "sentAt" = (x.now)::timestamptz AT TIME ZONE 'UTC',
    "externalId" = x."externalId", "lockedUntil" = NULL
  FROM x WHERE o.id = x.id
  RETURNING o.id, o."channelAccountId", o.seq, o.kind, x.next, x.now, x.until
), following AS (
  SELECT s.id AS after, f.id, s.now, s.until FROM sent s
  CROSS JOIN LATERAL (
    SELECT o.id FROM "Outbox" o
    WHERE s.next AND s.kind = 'reply' AND o."channelAccountId" = s."channelAccountId"
      AND o.kind = 'reply' AND o.status = 'pending' AND o.seq > s.seq
    ORDER BY o.seq LIMIT 1) f
), claimed AS (
  UPDATE "Outbox" AS o
  SET "lockedUntil" = (x.until)::timestamptz AT TIME ZONE 'UTC', attempts = o.attempts + 1
  FROM following x
  WHERE o.id = x.id AND o.status = 'pending' AND ${FREE}
  RETURNING ${RETURNED}, x.after
)
SELECT c.*, ${WITH_ADDRESS}
FROM claimed c
JOIN "ChannelAccount" a ON a.id = c."channelAccountId"
JOIN "Person" p ON p.id = c."personId"`;

interface SentItem {
  id: string;
  externalId: string | null;
  now: string;
  until: string;
  next: boolean;
}

/**
 * Claims and marks sent through one statement each for every worker slot
 * asking at the same moment (see MicroBatch).
 */
export class OutboxClaims {
  private readonly claims: MicroBatch<{ id: string; now: string; until: string }, ClaimResult>;
  private readonly sends: MicroBatch<SentItem, ClaimedRow | null>;

  constructor(sql: Sql) {
    this.claims = new MicroBatch(async (items) => {
      const rows = await sql.query<ClaimRow>(CLAIM, [JSON.stringify(items)]);
      const byId = new Map(rows.map((r) => [r.asked, r]));
      return items.map(({ id }) => {
        const row = byId.get(id);
        if (row?.current !== "pending") return { claimed: null, pending: false };
        if (!row.id) return { claimed: null, pending: true };
        return { claimed: toClaimed(row) };
      });
    });
    this.sends = new MicroBatch(async (items) => {
      const rows = await sql.query<ClaimRow & { after: string }>(SENT, [JSON.stringify(items)]);
      const byAfter = new Map(rows.map((r) => [r.after, r]));
      return items.map(({ id }) => {
        const next = byAfter.get(id);
        return next ? toClaimed(next) : null;
      });
    });
  }

  /** Claims the row for `holdMs` from `now`. */
  claim(id: string, now: Date, holdMs: number): Promise<ClaimResult> {
    return this.claims.run({ id, now: now.toISOString(), until: until(now, holdMs) });
  }

  /**
   * Marks a row sent; with `claimNext`, also claims the next reply to the same
   * address when it is waiting and free (the worker sends it right away).
   */
  markSent(
    id: string,
    externalId: string | null,
    now: Date,
    opts: { claimNext: boolean; holdMs: number },
  ): Promise<ClaimedRow | null> {
    return this.sends.run({
      id,
      externalId,
      now: now.toISOString(),
      until: until(now, opts.holdMs),
      next: opts.claimNext,
    });
  }
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

function toClaimed(
  row: Partial<ClaimedRow> & { asked?: string; current?: string | null; after?: string },
): ClaimedRow {
  const { asked: _a, current: _c, after: _f, ...claimed } = row;
  return claimed as ClaimedRow;
}
