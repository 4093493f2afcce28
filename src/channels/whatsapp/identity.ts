/**
 * One person, one address on WhatsApp. A person writes from a phone-number
 * JID (`628…@s.whatsapp.net`) or from their LID (`…@lid`), WhatsApp's
 * privacy id; the service keys everyone on the LID when it is known.
 */
import type { WhatsAppPort } from "../../domain/channel-ports.ts";
import type { InboundMessage } from "../../domain/messages.ts";
import type { GatewaySocket } from "./gateway-socket.ts";

/**
 * A message from a phone-number JID is keyed on the LID WhatsApp mapped to
 * it, when known; and an account made earlier for the phone-number JID
 * becomes the LID's (same person, same history).
 */
export async function canonicalAddress(
  socket: Pick<GatewaySocket, "lidForPhone">,
  port: Pick<WhatsAppPort, "moveAddress">,
  inbound: InboundMessage,
): Promise<InboundMessage> {
  let person = inbound.externalUserId;
  if (person.endsWith("@s.whatsapp.net")) {
    const lid = await socket.lidForPhone?.(person);
    if (lid) person = lid.replace(/:\d+@/, "@"); // Without the device number.
  }
  if (!person.endsWith("@lid")) return inbound;
  if (inbound.phone) await port.moveAddress(`${inbound.phone.slice(1)}@s.whatsapp.net`, person);
  const messageId = inbound.externalMessageId.slice(inbound.externalMessageId.lastIndexOf(":") + 1);
  return { ...inbound, externalUserId: person, externalMessageId: `${person}:${messageId}` };
}
