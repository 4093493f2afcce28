import type { Tx } from "../db/types.ts";
import type { ConsentPurpose, PersonView } from "../engine/types.ts";
import { toProfile } from "../features/seekers/profile.ts";
import type { Prisma } from "../generated/prisma/client.ts";

/** What is loaded per person to build a `PersonView`. */
const VIEW_INCLUDE = (channelAccountId?: string) =>
  ({
    conversation: true,
    profile: true,
    handoffs: { where: { status: "open" }, select: { id: true }, take: 1 },
    consents: { orderBy: { createdAt: "desc" }, select: { purpose: true, granted: true } },
    channels: channelAccountId
      ? { where: { id: channelAccountId }, select: { phone: true } }
      : {
          where: { reachable: true },
          orderBy: { createdAt: "desc" },
          take: 1,
          select: { phone: true },
        },
  }) satisfies Prisma.PersonInclude;

type Loaded = Prisma.PersonGetPayload<{ include: ReturnType<typeof VIEW_INCLUDE> }>;
export type LoadedView = PersonView & { conversation: { state: unknown; version: number } | null };

function toView(person: Loaded): LoadedView {
  const account = person.channels[0];
  const consents: PersonView["consents"] = {};
  // Newest first: the first record per purpose is the current decision.
  for (const c of person.consents) {
    const purpose = c.purpose as ConsentPurpose;
    if (consents[purpose] === undefined) consents[purpose] = c.granted;
  }
  return {
    language: person.language,
    plainLanguage: person.plainLanguage,
    messagingActive: person.status !== "stopped",
    consents,
    profile: person.profile ? toProfile(person.profile) : null,
    handoffOpen: person.handoffs.length > 0,
    channelPhone: account?.phone ?? undefined,
    conversation: person.conversation,
  };
}

/** Loads what the engine needs to know about a person, inside the turn's transaction. */
export async function loadPersonView(
  tx: Tx,
  personId: string,
  channelAccountId: string,
): Promise<LoadedView> {
  return toView(
    await tx.person.findUniqueOrThrow({
      where: { id: personId },
      include: VIEW_INCLUDE(channelAccountId),
    }),
  );
}

/** The same for many people in one query (a reminder to everyone in a training). */
export async function loadPersonViews(
  tx: Tx,
  personIds: string[],
): Promise<Map<string, LoadedView>> {
  const rows = await tx.person.findMany({
    where: { id: { in: personIds } },
    include: VIEW_INCLUDE(),
  });
  return new Map(rows.map((row) => [row.id, toView(row)]));
}
