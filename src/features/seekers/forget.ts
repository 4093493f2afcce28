/**
 * The last step of erasure. When a person's data is deleted their channel
 * address stays until the goodbye is sent (or its time has passed); then
 * everything that could still link the anonymous remainder to a chat goes:
 * the addresses themselves (Telegram chat id, WhatsApp JID and phone), the
 * processed inbound rows (their ids embed the chat: `<chat id>:<message id>`,
 * `<jid>:<key id>`), the outbox rows (with the addresses), and WhatsApp's
 * signal-protocol rows about that contact (sessions, device lists, the
 * phone-number↔LID mapping, tokens), whose ids embed the phone number or LID.
 */
import type { Tx } from "../../db/types.ts";

/** The WhatsApp user part of a JID: "62812…@s.whatsapp.net", "1234…:5@lid" → "62812…", "1234…". */
export function whatsAppUser(jid: string): string | null {
  const user = /^(\d{5,20})(?::\d+)?@(?:s\.whatsapp\.net|lid|c\.us)$/.exec(jid)?.[1];
  return user ?? null;
}

const phoneUser = (phone: string | null) => {
  const digits = phone?.replace(/\D/g, "") ?? "";
  return digits.length >= 5 && digits.length <= 20 ? digits : null;
};

/**
 * Baileys keys its stored rows by the contact: `<user>` (device list, the
 * phone-number→LID mapping), `<lid user>_reverse` (LID→phone number),
 * `<user>.<device>` and `<user>_<domain>.<device>` (signal sessions, identity
 * keys) and `<user>@<server>` (privacy tokens). The credentials are never
 * touched. Returns the rows removed.
 */
async function forgetWhatsAppContacts(db: Tx, users: string[]): Promise<number> {
  if (users.length === 0) return 0;
  return db.$executeRawUnsafe(
    `DELETE FROM "WhatsAppAuth" a
      USING unnest($1::text[]) AS u(name)
      WHERE a.type <> 'creds'
        AND (a.id = u.name
          OR a.id = u.name || '_reverse'
          OR starts_with(a.id, u.name || '.')
          OR starts_with(a.id, u.name || '_')
          OR starts_with(a.id, u.name || '@')
          OR starts_with(a.id, u.name || ':'))`,
    users,
  );
}

/**
 * Removes the addresses of a deleted person and what links to them, in the
 * caller's transaction. It takes the person's lock first, the one the runner
 * holds when it moves an address with a message still waiting to a new person
 * (`rehome` in runner/process.ts): an address is never removed under a person
 * it has just moved to. Addresses with a message still waiting stay (that
 * message will start a new person). Does nothing for a person not deleted.
 */
export async function forgetAddresses(tx: Tx, personId: string): Promise<{ addresses: number }> {
  await tx.$queryRaw`SELECT 1 FROM "Person" WHERE id = ${personId}::uuid FOR UPDATE`;
  const waiting = await tx.inboundMessage.findMany({
    where: { personId, status: "received" },
    select: { channelAccountId: true },
  });
  const accounts = await tx.channelAccount.findMany({
    where: {
      personId,
      person: { status: "deleted" },
      id: { notIn: waiting.map((w) => w.channelAccountId) },
    },
    select: { id: true, channel: true, externalId: true, phone: true },
  });
  if (accounts.length === 0) return { addresses: 0 };
  const users = new Set<string>();
  for (const a of accounts) {
    if (a.channel !== "whatsapp") continue;
    for (const user of [whatsAppUser(a.externalId), phoneUser(a.phone)]) if (user) users.add(user);
  }
  await forgetWhatsAppContacts(tx, [...users]);
  const ids = accounts.map((a) => a.id);
  await tx.inboundMessage.deleteMany({
    where: { personId, channelAccountId: { in: ids }, status: "processed" },
  });
  // The outbox rows go with their address (on delete cascade).
  const { count } = await tx.channelAccount.deleteMany({ where: { id: { in: ids }, personId } });
  return { addresses: count };
}
