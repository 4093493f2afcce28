import type { PrismaClient } from "../../db/types.ts";
import type { Prisma } from "../../generated/prisma/client.ts";
import { pageArgs } from "../paging.ts";

/** Handoffs visible to a caller: a city-scoped caller sees people registered in those cities. */
export function scopeWhere(cities: string[]): Prisma.HandoffWhereInput {
  return cities.length > 0 ? { person: { profile: { cityCode: { in: cities } } } } : {};
}

export interface HandoffMessage {
  text: string;
  media?: string;
  receivedAt: string;
}

/** Open (or closed) handoffs, oldest first, each with the person's messages since the request. */
export async function listHandoffs(
  prisma: PrismaClient,
  opts: { status: "open" | "closed"; cities: string[]; limit: number; cursor?: string },
) {
  const rows = await prisma.handoff.findMany({
    where: { status: opts.status, ...scopeWhere(opts.cities) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    ...pageArgs(opts),
    include: {
      person: {
        select: {
          id: true,
          language: true,
          profile: { select: { fullName: true, cityCode: true } },
        },
      },
    },
  });
  const page = rows.slice(0, opts.limit);
  const items = await Promise.all(
    page.map(async (h) => ({
      id: h.id,
      status: h.status,
      channel: h.channel,
      createdAt: h.createdAt.toISOString(),
      closedAt: h.closedAt?.toISOString() ?? null,
      person: {
        id: h.person.id,
        name: h.person.profile?.fullName ?? null,
        city: h.person.profile?.cityCode ?? null,
        language: h.person.language,
      },
      messages: h.status === "open" ? await messagesSince(prisma, h.personId, h.createdAt) : [],
    })),
  );
  return { items, nextCursor: rows.length > opts.limit ? (page.at(-1)?.id ?? null) : null };
}

/** What the person wrote since asking for staff (kept only while the handoff is open). */
async function messagesSince(
  prisma: PrismaClient,
  personId: string,
  since: Date,
): Promise<HandoffMessage[]> {
  const rows = await prisma.inboundMessage.findMany({
    where: { personId, receivedAt: { gte: new Date(since.getTime() - 60_000) } },
    orderBy: { seq: "asc" },
    select: { payload: true, receivedAt: true },
  });
  return rows.flatMap((r) => {
    const p = r.payload as { text?: string; media?: string } | null;
    if (!p) return [];
    return [
      {
        text: p.text ?? "",
        ...(p.media ? { media: p.media } : {}),
        receivedAt: r.receivedAt.toISOString(),
      },
    ];
  });
}
