import type { ConversationState } from "./types.ts";

/** Stored state from an older or broken version is dropped: the person starts fresh rather than getting stuck. */
export function isConversationState(value: unknown): value is ConversationState {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Record<string, unknown>;
  return (
    s.version === 2 &&
    typeof s.flow === "string" &&
    typeof s.step === "string" &&
    typeof s.draft === "object" &&
    s.draft !== null &&
    Array.isArray(s.history) &&
    Array.isArray(s.lastReplies) &&
    typeof s.failures === "number" &&
    typeof s.updatedAt === "string"
  );
}
