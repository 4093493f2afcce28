import type { Redis } from "ioredis";
import type { ChannelAdapter, OutboundMessage, SendResult } from "../types.ts";

/** The Redis list a console user's messages are delivered to. */
export const consoleInboxKey = (prefix: string, user: string) => `${prefix}:console:${user}`;

/**
 * The local chat channel. Its "network" is a Redis list per user: whichever
 * worker process sends, the `npm run chat` session of that user prints it.
 */
export class ConsoleAdapter implements ChannelAdapter {
  readonly name = "console" as const;
  private sent = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async send(to: string, message: OutboundMessage): Promise<SendResult> {
    this.sent += 1;
    const externalId = `console-${Date.now()}-${this.sent}`;
    await this.redis.rpush(
      consoleInboxKey(this.prefix, to),
      JSON.stringify({ externalId, message }),
    );
    return { externalId };
  }
}
