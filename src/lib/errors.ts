/** The closed set of application error codes. */
export const ERROR_CODES = [
  "config_invalid",
  "database_unavailable",
  "redis_unavailable",
  "validation_failed",
  "not_found",
  "conflict",
  "unauthorized",
  "forbidden",
  "internal",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/**
 * A channel could not deliver a message. `retryable` decides whether the send
 * job tries again (with backoff, or after `retryAfterMs`) or fails for good.
 */
export class SendError extends Error {
  override name = "SendError";
  constructor(
    readonly code: SendErrorCode,
    message: string,
    readonly retryable: boolean,
    /** The channel asked us to wait this long (Telegram 429 `retry_after`). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * The channel cannot send anything right now (not connected, sending stopped
 * after a restriction, over a limit). Not a failure of the message: it waits
 * `retryAfterMs` and is tried again without using up one of its attempts, for
 * as long as it takes.
 */
export class ChannelHold extends Error {
  override name = "ChannelHold";
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

export type SendErrorCode =
  | "rate_limited"
  | "network"
  | "server"
  | "blocked"
  | "not_found"
  | "bad_request"
  | "restricted"
  | "unknown";
