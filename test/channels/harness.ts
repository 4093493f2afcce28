/**
 * The shared channel harness: every adapter's translation is checked with a
 * table of recorded platform payloads → expected results, the same way.
 * No network: translation is pure, and outbound cases run against local fakes.
 */
import type { Update } from "grammy/types";
import { expect, it } from "vitest";
import { type TelegramEvent, translateUpdate } from "../../src/channels/telegram/translate.ts";

export interface InboundCase<P, R> {
  name: string;
  payload: P;
  expected: R;
}

/** Runs a table of inbound payloads through `translate`; `receivedAt` is compared separately. */
export function inboundTable<P, R>(cases: InboundCase<P, R>[], translate: (payload: P) => unknown) {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const actual = structuredClone(translate(c.payload)) as Record<string, unknown>;
    const inbound = (actual as { inbound?: { receivedAt?: unknown } }).inbound;
    if (inbound) {
      expect(inbound.receivedAt).toBeInstanceOf(Date);
      delete inbound.receivedAt;
    }
    expect(actual).toEqual(c.expected);
  });
}

export interface OutboundCase<M, C> {
  name: string;
  message: M;
  expected: C;
}

/** Runs a table of outbound messages through `send` and compares what reached the platform. */
export function outboundTable<M, C>(cases: OutboundCase<M, C>[], send: (message: M) => Promise<C>) {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    expect(await send(c.message)).toEqual(c.expected);
  });
}

/** A Telegram event without who sent it: the job seekers' path, as the fixture tables expect it. */
export function inboundOf(update: Update): TelegramEvent {
  const event = translateUpdate(update);
  if (event.kind !== "message" || !event.sender) return event;
  const { sender: _, ...rest } = event;
  return rest;
}
