/**
 * What to do when the WhatsApp connection closes, by Baileys' DisconnectReason
 * (Baileys never reconnects by itself). Pure: the gateway acts on the answer.
 */
import { DisconnectReason } from "@whiskeysockets/baileys";

export type StopReason = "logged_out" | "replaced" | "forbidden" | "multidevice_mismatch";

export type Decision =
  | { action: "reconnect"; delayMs: number }
  /** Never loop: a person must act (pair again, stop the other gateway, check the number). */
  | { action: "stop"; reason: StopReason; clearCredentials: boolean; alertStaff: true };

/** Longest wait between two tries. */
export const MAX_DELAY_MS = 60_000;
const BASE_DELAY_MS = 1000;

/**
 * `attempt` counts the failed tries since the connection was last open
 * (0 for the first). `random` is for tests.
 */
export function afterDisconnect(
  statusCode: number | undefined,
  attempt: number,
  random: () => number = Math.random,
): Decision {
  switch (statusCode) {
    case DisconnectReason.loggedOut:
      // The phone unlinked this device: the stored keys are worthless, pairing starts over.
      return { action: "stop", reason: "logged_out", clearCredentials: true, alertStaff: true };
    case DisconnectReason.connectionReplaced:
      // Another gateway uses these credentials: reconnecting would fight it forever.
      return { action: "stop", reason: "replaced", clearCredentials: false, alertStaff: true };
    case DisconnectReason.forbidden:
      return { action: "stop", reason: "forbidden", clearCredentials: false, alertStaff: true };
    case DisconnectReason.multideviceMismatch:
      return {
        action: "stop",
        reason: "multidevice_mismatch",
        clearCredentials: false,
        alertStaff: true,
      };
    case DisconnectReason.restartRequired:
      // Normal right after pairing: connect again at once.
      return { action: "reconnect", delayMs: 0 };
    default: {
      // Lost, timed out, closed, service unavailable, bad session, unknown: exponential backoff
      // with jitter (half to all of the step), so many gateways do not return in step.
      const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(attempt, 16));
      return { action: "reconnect", delayMs: Math.round(step * (0.5 + random() * 0.5)) };
    }
  }
}
