/**
 * Proactive messages to a few people at once (a waitlist promotion, a moved
 * or cancelled training): each in their own language and plain variant, to
 * their newest reachable address, with an idempotency key per person.
 */
import type { Tx } from "../../db/types.ts";
import type { PersonView, Reply } from "../../engine/types.ts";
import { type OutboxRef, writeOutbox } from "../../outbox/outbox.ts";
import { render } from "../../outbox/render.ts";
import { toProfile } from "../seekers/profile.ts";

export interface Notice {
  personId: string;
  /** Unique per recipient and event, e.g. `training-moved-<enrollment>-<startsAt>`. */
  key: string;
  /** The message, built for this person (their zone, their language). */
  reply: (person: PersonView) => Reply;
  subject?: string;
}

export async function writeNotices(
  tx: Tx,
  notices: Notice[],
  serviceName: string,
): Promise<OutboxRef[]> {
  if (notices.length === 0) return [];
  const people = await tx.person.findMany({
    where: { id: { in: notices.map((n) => n.personId) }, status: { not: "deleted" } },
    include: {
      profile: true,
      channels: { where: { reachable: true }, orderBy: { createdAt: "desc" }, take: 1 },
    },
  });
  const existing = new Set(
    (
      await tx.outbox.findMany({
        where: { idempotencyKey: { in: notices.map((n) => n.key) } },
        select: { idempotencyKey: true },
      })
    ).map((o) => o.idempotencyKey),
  );
  const rows = notices.flatMap((n) => {
    const p = people.find((x) => x.id === n.personId);
    const account = p?.channels[0];
    if (!p || !account || existing.has(n.key)) return [];
    const view: PersonView = {
      language: p.language,
      plainLanguage: p.plainLanguage,
      messagingActive: p.status !== "stopped",
      consents: {},
      profile: p.profile ? toProfile(p.profile) : null,
      handoffOpen: false,
    };
    return [
      {
        personId: p.id,
        channelAccountId: account.id,
        channel: account.channel,
        kind: "proactive" as const,
        idempotencyKey: n.key,
        ...(n.subject ? { subject: n.subject } : {}),
        payload: render(n.reply(view), {
          language: p.language,
          plainLanguage: p.plainLanguage,
          serviceName,
        }),
      },
    ];
  });
  return writeOutbox(tx, rows);
}
