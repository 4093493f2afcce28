/**
 * A worker process killed with SIGKILL in the middle of a 10,000-recipient
 * broadcast, while it is both writing recipients and sending: after a
 * restart every recipient has exactly one message, nobody is missing.
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleInboxKey } from "../../src/channels/console/adapter.ts";
import { broadcastTotals } from "../../src/features/broadcasts/data.ts";
import { createBroadcast } from "../../src/features/broadcasts/mutations.ts";
import { createBody } from "../../src/features/broadcasts/schema.ts";
import { systemClock } from "../../src/lib/clock.ts";
import { type CrashRig, crashRig } from "../helpers/crash.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { STAFF } from "../helpers/vacancies.ts";

const RECIPIENTS = 10_000;

let rig: CrashRig;
const worker = () => rig.worker({ BROADCAST_CHUNK: "250" });

/** How many messages each recipient's console inbox holds. */
async function inboxLengths(): Promise<number[]> {
  const pipeline = rig.redis.pipeline();
  for (let i = 0; i < RECIPIENTS; i++) pipeline.llen(consoleInboxKey(rig.prefix, `b${i}`));
  const results = (await pipeline.exec()) ?? [];
  return results.map(([, n]) => Number(n));
}

beforeAll(async () => {
  rig = await crashRig(RECIPIENTS, "b");
});
afterAll(() => rig.close());

describe("a worker killed in the middle of a broadcast", () => {
  it("leaves every recipient with exactly one message after a restart", async () => {
    const deps = {
      prisma: rig.db.prisma,
      queues: rig.queues,
      clock: systemClock,
      log: pino({ level: "silent" }),
    };
    const created = await createBroadcast(
      deps,
      createBody.parse({ message: { id: "Bursa kerja inklusif, Sabtu 09.00." } }),
      STAFF,
      new Date(),
    );
    if (!created.ok) throw new Error(created.message);
    const id = created.broadcast.id;
    const rows = () => rig.db.prisma.outbox.count({ where: { subject: `broadcast:${id}` } });
    const sent = () =>
      rig.db.prisma.outbox.count({ where: { subject: `broadcast:${id}`, status: "sent" } });

    const first = worker();
    // Killed while it is still writing recipients and already sending to the first ones.
    await waitFor(
      async () => (await rows()) >= 2000 && (await sent()) >= 200,
      90_000,
      "the fan-out and the sending to be under way",
    );
    first.child.kill("SIGKILL");
    await first.exited;
    expect(await rows()).toBeLessThan(RECIPIENTS);
    expect(await sent()).toBeLessThan(RECIPIENTS);

    worker();
    await waitFor(
      async () =>
        (await rig.db.prisma.broadcast.findUniqueOrThrow({ where: { id } })).status === "done",
      180_000,
      "the restarted worker to finish the broadcast",
    );
    const lengths = await inboxLengths();
    expect(lengths.filter((n) => n === 0).length, "recipients without the message").toBe(0);
    expect(lengths.filter((n) => n > 1).length, "recipients with it twice").toBe(0);
    expect(await broadcastTotals(rig.db.prisma, id)).toEqual({
      recipients: RECIPIENTS,
      queued: 0,
      sent: RECIPIENTS,
      failed: 0,
      skipped: 0,
      skippedBy: {},
    });
  }, 300_000);
});
