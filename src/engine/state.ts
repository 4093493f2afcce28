import type { ConversationState } from "./types.ts";

/** Stored state from an older or broken version is dropped: the person starts fresh rather than getting stuck. */
export function isConversationState(value: unknown): value is ConversationState {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Record<string, unknown>;
  return (
    s.version === 1 &&
    typeof s.flow === "string" &&
    typeof s.step === "string" &&
    Array.isArray(s.lastReplies) &&
    typeof s.failures === "number"
  );
}
