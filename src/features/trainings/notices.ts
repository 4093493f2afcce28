/**
 * Proactive messages to a few people at once (a waitlist promotion, a moved
 * or cancelled training): each in their own language and plain variant, to
 * their newest reachable address, with an idempotency key per person.
 */
import type { Tx } from "../../db/types.ts";
import type { PersonView, Reply } from "../../engine/types.ts";
import { insertOutboxRows, type OutboxRef } from "../../outbox/outbox.ts";
import { render } from "../../outbox/render.ts";
import { loadPersonViews } from "../seekers/person-view.ts";

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
  now: Date,
): Promise<OutboxRef[]> {
  if (notices.length === 0) return [];
  const people = await loadPersonViews(
    tx,
    notices.map((n) => n.personId),
  );
  const rows = notices.flatMap((n) => {
    const person = people.get(n.personId);
    const address = person?.address;
    if (!person || !address) return [];
    return [
      {
        personId: n.personId,
        channelAccountId: address.id,
        channel: address.channel,
        idempotencyKey: n.key,
        subject: n.subject ?? null,
        notBefore: null,
        payload: render(n.reply(person), {
          language: person.language,
          plainLanguage: person.plainLanguage,
          serviceName,
        }),
      },
    ];
  });
  // Keys written before (a retried action) are skipped.
  return insertOutboxRows(tx, rows, now);
}
