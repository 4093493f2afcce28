/**
 * Moved to src/outbox/whatsapp.ts (issue 22): kept only for
 * features/whatsapp/connection.ts, whose import belongs pointed there.
 */
export { releaseHeld } from "../../outbox/whatsapp.ts";
