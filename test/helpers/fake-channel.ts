import type {
  ChannelAdapter,
  ChannelName,
  OutboundMessage,
  SendResult,
} from "../../src/domain/messages.ts";
import { outerLimit } from "./wait.ts";

export interface SentRecord {
  to: string;
  message: OutboundMessage;
  at: number;
}

/**
 * A channel whose network is an array: records every send. `behaviour` can
 * delay a send or make it fail, to test the send worker's policies.
 */
export class FakeChannel implements ChannelAdapter {
  readonly sent: SentRecord[] = [];
  attempts = 0;
  behaviour: (attempt: number, to: string) => Promise<Error | undefined> | Error | undefined = () =>
    undefined;

  constructor(readonly name: ChannelName = "console") {}

  async send(to: string, message: OutboundMessage): Promise<SendResult> {
    this.attempts += 1;
    const error = await this.behaviour(this.attempts, to);
    if (error) throw error;
    this.sent.push({ to, message, at: Date.now() });
    return { externalId: `fake-${this.sent.length}` };
  }

  textsTo(to: string): string[] {
    return this.sent.filter((s) => s.to === to).map((s) => s.message.text);
  }
}

/**
 * Polls until `check` returns true, or fails after `timeoutMs` scaled by the
 * machine allowance (helpers/wait.ts): a limit for a wait that never ends.
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + outerLimit(timeoutMs);
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
