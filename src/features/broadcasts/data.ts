import type { PrismaClient } from "../../db/types.ts";
import { CITIES } from "../../domain/cities.ts";
import { DEFAULT_QUIET_HOURS, type QuietHours, zoneEndingAt } from "../../domain/quiet-hours.ts";
import type { Broadcast, Prisma } from "../../generated/prisma/client.ts";
import { pageArgs, toPage } from "../paging.ts";
import { broadcastSubject } from "./subject.ts";

export const broadcastKey = (id: string, personId: string) => `broadcast-${id}-${personId}`;

/**
 * Broadcasts a caller may see: all of them for a caller of every city; for a
 * city-scoped caller, those made for their cities only (a broadcast made by
 * someone of every city may reach people elsewhere).
 */
export function scopeWhere(cities: string[]): Prisma.BroadcastWhereInput {
  if (cities.length === 0) return {};
  const elsewhere = CITIES.map((c) => c.code).filter((c) => !cities.includes(c));
  return { scope: { isEmpty: false }, NOT: { scope: { hasSome: elsewhere } } };
}

export const findVisible = (prisma: PrismaClient, id: string, cities: string[]) =>
  prisma.broadcast.findFirst({ where: { id, ...scopeWhere(cities) } });

export interface Totals {
  recipients: number;
  queued: number;
  sent: number;
  failed: number;
  skipped: number;
  /** Skipped by reason: stopped, unreachable, deleted, cancelled. */
  skippedBy: Record<string, number>;
  /** Of the queued, those waiting for the end of quiet hours in their zone (given `now`). */
  held?: number;
  /** When the last of them may go (ISO), or null. */
  heldUntil?: string | null;
  /** Per zone, earliest first. */
  heldByZone?: { timeZone: string; held: number; until: string }[];
}

/**
 * Every recipient's state, counted from their outbox rows; with `now`, also
 * how many wait for the end of quiet hours, until when, per zone.
 */
export async function broadcastTotals(
  prisma: PrismaClient,
  id: string,
  now?: Date,
  quiet: QuietHours = DEFAULT_QUIET_HOURS,
): Promise<Totals> {
  const rows = await prisma.$queryRawUnsafe<{ status: string; reason: string | null; n: number }[]>(
    `SELECT status::text AS status, CASE WHEN status = 'skipped' THEN reason END AS reason,
            count(*)::int AS n
     FROM "Outbox" WHERE subject = $1 GROUP BY 1, 2`,
    broadcastSubject(id),
  );
  const totals: Totals = {
    recipients: 0,
    queued: 0,
    sent: 0,
    failed: 0,
    skipped: 0,
    skippedBy: {},
  };
  for (const r of rows) {
    totals.recipients += r.n;
    if (r.status === "pending") totals.queued += r.n;
    else if (r.status === "sent") totals.sent += r.n;
    else if (r.status === "failed") totals.failed += r.n;
    else {
      totals.skipped += r.n;
      const reason = r.reason ?? "other";
      totals.skippedBy[reason] = (totals.skippedBy[reason] ?? 0) + r.n;
    }
  }
  if (!now) return totals;
  // Held rows wait until the end of quiet hours in their person's zone: one time per zone.
  const held = await prisma.$queryRawUnsafe<{ until: string; n: number }[]>(
    `SELECT to_char("notBefore", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS until, count(*)::int AS n
     FROM "Outbox"
     WHERE subject = $1 AND status = 'pending' AND "notBefore" > $2::timestamptz AT TIME ZONE 'UTC'
     GROUP BY 1 ORDER BY 1`,
    broadcastSubject(id),
    now.toISOString(),
  );
  totals.held = held.reduce((sum, r) => sum + r.n, 0);
  totals.heldUntil = held.at(-1)?.until ?? null;
  totals.heldByZone = held.map((r) => ({
    timeZone: zoneEndingAt(new Date(r.until), quiet) ?? "Asia/Jakarta",
    held: r.n,
    until: r.until,
  }));
  return totals;
}

export function broadcastJson(b: Broadcast) {
  return {
    id: b.id,
    ref: b.ref,
    status: b.status,
    message: { id: b.messageId, ...(b.messageEn ? { en: b.messageEn } : {}) },
    segment: b.segment,
    sendAt: b.sendAt.toISOString(),
    createdAt: b.createdAt.toISOString(),
    startedAt: b.startedAt?.toISOString() ?? null,
    finishedAt: b.finishedAt?.toISOString() ?? null,
    reason: b.reason,
  };
}

export async function listBroadcasts(
  prisma: PrismaClient,
  opts: { cities: string[]; status?: Broadcast["status"]; limit: number; cursor?: string },
) {
  const rows = await prisma.broadcast.findMany({
    where: { ...scopeWhere(opts.cities), ...(opts.status ? { status: opts.status } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...pageArgs(opts),
  });
  return toPage(rows, opts, broadcastJson);
}

const STATUS_OF = {
  queued: "pending",
  sent: "sent",
  failed: "failed",
  skipped: "skipped",
} as const;

/** One broadcast's recipients and what happened to each (personal data: callers audit it). */
export async function listRecipients(
  prisma: PrismaClient,
  id: string,
  opts: { status?: keyof typeof STATUS_OF; limit: number; cursor?: string },
) {
  const rows = await prisma.outbox.findMany({
    where: {
      subject: broadcastSubject(id),
      ...(opts.status ? { status: STATUS_OF[opts.status] } : {}),
    },
    orderBy: { id: "asc" },
    ...pageArgs(opts),
    select: {
      id: true,
      personId: true,
      channel: true,
      status: true,
      reason: true,
      sentAt: true,
      person: { select: { profile: { select: { fullName: true } } } },
    },
  });
  return toPage(rows, opts, (r) => ({
    personId: r.personId,
    name: r.person.profile?.fullName ?? null,
    channel: r.channel,
    status: r.status === "pending" ? "queued" : r.status,
    reason: r.reason,
    sentAt: r.sentAt?.toISOString() ?? null,
  }));
}
