import type { Tx } from "../../db/types.ts";
import type { ConsentPurpose, PersonView } from "../../engine/types.ts";
import type { Channel, Prisma } from "../../generated/prisma/client.ts";
import { toProfile } from "./profile.ts";

const ADDRESS = { id: true, channel: true, phone: true } as const;

/** What is loaded per person to build a `PersonView`. */
const VIEW_INCLUDE = (channelAccountId?: string) =>
  ({
    conversation: true,
    profile: true,
    handoffs: { where: { status: "open" }, select: { id: true }, take: 1 },
    consents: { orderBy: { createdAt: "desc" }, select: { purpose: true, granted: true } },
    channels: channelAccountId
      ? { where: { id: channelAccountId }, select: ADDRESS }
      : { where: { reachable: true }, orderBy: { createdAt: "desc" }, take: 1, select: ADDRESS },
  }) satisfies Prisma.PersonInclude;

type Loaded = Prisma.PersonGetPayload<{ include: ReturnType<typeof VIEW_INCLUDE> }>;
export type LoadedView = PersonView & {
  conversation: { state: unknown; version: number } | null;
  /** The address loaded with the person: the given one, or their newest reachable one. */
  address?: { id: string; channel: Channel };
};

/** The current decision per purpose, from consent records newest first. */
export function currentConsents(
  newestFirst: { purpose: string; granted: boolean }[],
): PersonView["consents"] {
  const consents: PersonView["consents"] = {};
  for (const c of newestFirst) {
    const purpose = c.purpose as ConsentPurpose;
    if (consents[purpose] === undefined) consents[purpose] = c.granted;
  }
  return consents;
}

function toView(person: Loaded): LoadedView {
  const account = person.channels[0];
  return {
    language: person.language,
    plainLanguage: person.plainLanguage,
    messagingActive: person.status !== "stopped",
    consents: currentConsents(person.consents),
    profile: person.profile ? toProfile(person.profile) : null,
    handoffOpen: person.handoffs.length > 0,
    channelPhone: account?.phone ?? undefined,
    conversation: person.conversation,
    ...(account ? { address: { id: account.id, channel: account.channel } } : {}),
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

/**
 * The same for many people in one query (a reminder to everyone in a training, a notice to
 * everyone waiting), with their newest reachable address. People who deleted their data are left out.
 */
export async function loadPersonViews(
  tx: Tx,
  personIds: string[],
): Promise<Map<string, LoadedView>> {
  const rows = await tx.person.findMany({
    where: { id: { in: personIds }, status: { not: "deleted" } },
    include: VIEW_INCLUDE(),
  });
  return new Map(rows.map((row) => [row.id, toView(row)]));
}
