/**
 * A worker process killed with SIGKILL while it processes batches of 200
 * people's messages (group commit): after a restart every message is
 * answered exactly once, and each person's replies arrive in order.
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleInboxKey } from "../../src/channels/console/adapter.ts";
import type { OutboundMessage } from "../../src/domain/messages.ts";
import { systemClock } from "../../src/lib/clock.ts";
import type { RunnerDeps } from "../../src/runner/deps.ts";
import { receive } from "../../src/runner/receive.ts";
import { REGISTRATION_SCRIPT } from "../fixtures/registration.ts";
import { type CrashRig, crashRig } from "../helpers/crash.ts";
import { expectedReplyCounts } from "../helpers/expected-replies.ts";
import { waitFor } from "../helpers/fake-channel.ts";

const PEOPLE = 200;
const SCRIPT = REGISTRATION_SCRIPT.slice(0, 8);

let rig: CrashRig;
const worker = () => rig.worker({ INBOUND_CONCURRENCY: "100" });

beforeAll(async () => {
  rig = await crashRig(0, "unused");
});
afterAll(() => rig.close());

describe("a worker killed in the middle of a batch", () => {
  it("answers every message exactly once and in order after a restart", async () => {
    const deps: RunnerDeps = {
      prisma: rig.db.prisma,
      sql: rig.db.sql,
      queues: rig.queues,
      clock: systemClock,
      log: pino({ level: "silent" }),
      serviceName: "PKI",
    };
    // Everyone's messages are stored and queued before a worker runs: batches are full.
    for (const [i, text] of SCRIPT.entries()) {
      await Promise.all(
        Array.from({ length: PEOPLE }, (_, p) =>
          receive(deps, {
            channel: "console",
            externalUserId: `b${p}`,
            externalMessageId: `b${p}-${i}`,
            text,
            receivedAt: new Date(),
          }),
        ),
      );
    }
    const total = PEOPLE * SCRIPT.length;
    const processed = () => rig.db.prisma.inboundMessage.count({ where: { status: "processed" } });

    const first = worker();
    await waitFor(async () => (await processed()) >= 150, 90_000, "batches to be under way");
    first.child.kill("SIGKILL");
    await first.exited;
    expect(await processed()).toBeLessThan(total);

    worker();
    await waitFor(async () => (await processed()) === total, 180_000, "every message processed");
    const expected = expectedReplyCounts(SCRIPT);
    const perPerson = expected.reduce((a, b) => a + b, 0);
    await waitFor(
      async () =>
        (await rig.db.prisma.outbox.count({ where: { status: "sent" } })) === PEOPLE * perPerson,
      180_000,
      "every reply sent",
    );
    expect(await rig.db.prisma.outbox.count()).toBe(PEOPLE * perPerson);

    for (let p = 0; p < PEOPLE; p++) {
      const account = await rig.db.prisma.channelAccount.findUniqueOrThrow({
        where: { channel_externalId: { channel: "console", externalId: `b${p}` } },
      });
      const inbound = await rig.db.prisma.inboundMessage.findMany({
        where: { personId: account.personId },
        orderBy: { seq: "asc" },
      });
      // Stored in the order sent, each once.
      expect(inbound.map((m) => m.externalMessageId)).toEqual(SCRIPT.map((_, i) => `b${p}-${i}`));
      const replies = await rig.db.prisma.outbox.findMany({
        where: { personId: account.personId },
        orderBy: { seq: "asc" },
      });
      // Each message got exactly the replies the engine gives it: none lost, none doubled.
      expect(inbound.map((m) => replies.filter((r) => r.inboundId === m.id).length)).toEqual(
        expected,
      );
      // And the person received exactly those, once each, in the order they were written.
      const inbox = await rig.redis.lrange(consoleInboxKey(rig.prefix, `b${p}`), 0, -1);
      const received = inbox.map(
        (e) => (JSON.parse(e) as { message: OutboundMessage }).message.text,
      );
      expect(received).toEqual(replies.map((r) => (r.payload as unknown as OutboundMessage).text));
    }
  }, 420_000);
});
