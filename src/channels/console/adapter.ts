import type { Redis } from "ioredis";
import type {
  ChannelAdapter,
  OutboundMessage,
  SendOptions,
  SendResult,
} from "../../domain/messages.ts";

/** The Redis list a console user's messages are delivered to. */
export const consoleInboxKey = (prefix: string, user: string) => `${prefix}:console:${user}`;

/** Appends the message unless one with the same key was delivered (then answers its id). */
const DELIVER_ONCE = `
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'EX', 604800) then
  redis.call('RPUSH', KEYS[1], ARGV[1])
  return ARGV[2]
end
return redis.call('GET', KEYS[2])
`;

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

  /**
   * With a key, delivery is idempotent: a worker killed after delivering but
   * before recording it does not make the retry deliver twice.
   */
  async send(to: string, message: OutboundMessage, opts?: SendOptions): Promise<SendResult> {
    this.sent += 1;
    const externalId = `console-${Date.now()}-${this.sent}`;
    const entry = JSON.stringify({ externalId, message });
    const inbox = consoleInboxKey(this.prefix, to);
    if (!opts?.key) {
      await this.redis.rpush(inbox, entry);
      return { externalId };
    }
    const id = await this.redis.eval(
      DELIVER_ONCE,
      2,
      inbox,
      `${this.prefix}:console-delivered:${opts.key}`,
      entry,
      externalId,
    );
    return { externalId: String(id) };
  }
}
