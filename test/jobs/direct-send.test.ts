/**
 * Replies sent by the process that committed them (issue 14): no send job for a
 * reply that can go at once; the send queue for the rest, with its retries and
 * holds; per-person order and once-only as on the queue path.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDirectSend } from "../../src/jobs/workers/send.ts";
import { ChannelHold, SendError } from "../../src/lib/errors.ts";
import { enqueueOutbox, type OutboxRef } from "../../src/outbox/outbox.ts";
import { FakeChannel, waitFor } from "../helpers/fake-channel.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

const row = (id: string) => h.prisma.outbox.findUniqueOrThrow({ where: { id } });
const sendJob = (id: string) => h.queues.get("send-console").getJob(id);

/** A direct sender on the harness's channel whose queue path is recorded (and really queues). */
function directSend(adapter = h.channel, maxInFlight?: number) {
  const queued: string[] = [];
  const enqueue = async (refs: OutboxRef[]) => {
    queued.push(...refs.map((r) => r.id));
    await enqueueOutbox({ ...h.deps, now: new Date() }, refs);
  };
  const direct = createDirectSend(
    { ...h.deps, adapters: [adapter] },
    enqueue,
    maxInFlight === undefined ? {} : { maxInFlight },
  );
  return { direct, queued };
}

describe("replies sent right after their batch", () => {
  it("go out without a send job, from the chat through to the channel", async () => {
    await h.startWorkers();
    const [replies] = await h.chat("dina", "halo");
    expect(replies!.length).toBeGreaterThan(0);
    const rows = await h.prisma.outbox.findMany({ where: { status: "sent" } });
    expect(rows.length).toBe(replies!.length);
    for (const r of rows) {
      expect(await sendJob(r.id)).toBeUndefined();
      // Never queued: nothing for the relay to look at.
      expect(r.enqueuedAt).toBeNull();
      expect(r.attempts).toBe(1);
    }
    expect(h.channel.textsTo("dina")).toEqual(replies);
  });

  it("sends each reply once, in order, when one person's replies are dispatched together", async () => {
    const account = await h.account("eko");
    const refs = await h.commitMessages(
      account,
      Array.from({ length: 6 }, (_, i) => ({ text: `balasan ${i + 1}` })),
    );
    await h.startWorkers(); // the send worker for what falls back to the queue
    const { direct } = directSend();
    await direct.dispatch(refs);
    await waitFor(async () => h.channel.textsTo("eko").length === 6, 15_000, "six replies");
    await direct.idle(5_000);
    expect(h.channel.textsTo("eko")).toEqual(refs.map((_, i) => `balasan ${i + 1}`));
    for (const r of refs) expect((await row(r.id)).status).toBe("sent");
  });

  it("queue a reply whose channel failed, and the queue retries it until sent", async () => {
    h.channel.behaviour = (attempt) =>
      attempt === 1 ? new SendError("network", "reset", true) : undefined;
    await h.startWorkers();
    const refs = await h.commitMessages(await h.account("fani"), [{ text: "coba lagi" }]);
    const { direct, queued } = directSend();
    await direct.dispatch(refs);
    await waitFor(async () => (await row(refs[0]!.id)).status === "sent", 15_000, "sent by retry");
    expect(queued).toEqual([refs[0]!.id]);
    expect(h.channel.textsTo("fani")).toEqual(["coba lagi"]);
    expect((await row(refs[0]!.id)).attempts).toBe(2);
  });

  it("queue a reply the channel holds, for when the hold ends", async () => {
    h.channel.behaviour = (attempt) => (attempt === 1 ? new ChannelHold("paused", 300) : undefined);
    await h.startWorkers();
    const refs = await h.commitMessages(await h.account("gani"), [{ text: "nanti" }]);
    const { direct, queued } = directSend();
    await direct.dispatch(refs);
    await direct.idle(5_000);
    expect(queued).toEqual([refs[0]!.id]);
    const job = await sendJob(refs[0]!.id);
    expect(job?.opts.delay).toBeGreaterThan(0);
    await waitFor(
      async () => (await row(refs[0]!.id)).status === "sent",
      15_000,
      "sent after hold",
    );
    expect(h.channel.textsTo("gani")).toEqual(["nanti"]);
  });

  it("queue what is not a reply due now, and what is over the limit of sends under way", async () => {
    const account = await h.account("hana");
    const [proactive] = await h.commitMessages(account, [{ text: "info", kind: "proactive" }]);
    const slow = new FakeChannel("console");
    let release: () => void = () => {};
    const gate = new Promise<undefined>((resolve) => {
      release = () => resolve(undefined);
    });
    slow.behaviour = () => gate;
    const { direct, queued } = directSend(slow, 1);
    const other = await h.commitMessages(await h.account("ilham"), [{ text: "satu" }]);
    const third = await h.commitMessages(await h.account("joko"), [{ text: "dua" }]);
    await direct.dispatch([proactive!, ...other, ...third]);
    // The proactive message and the reply past the one send allowed at once went to the queue.
    expect(queued).toEqual([proactive!.id, third[0]!.id]);
    release();
    await direct.idle(5_000);
    expect(slow.textsTo("ilham")).toEqual(["satu"]);
    expect((await row(other[0]!.id)).status).toBe("sent");
  });

  it("leave a reply behind an earlier one on its way to the queue, which keeps the order", async () => {
    const account = await h.account("kiki");
    const [first, second] = await h.commitMessages(account, [
      { text: "pertama" },
      { text: "kedua" },
    ]);
    // The first is held by another sender (as a send job in another process would hold it).
    await h.prisma.outbox.update({
      where: { id: first!.id },
      data: { lockedUntil: new Date(Date.now() + 60_000) },
    });
    const { direct, queued } = directSend();
    await direct.dispatch([second!]);
    await direct.idle(5_000);
    expect(queued).toEqual([second!.id]);
    expect(h.channel.sent).toEqual([]);
    expect((await row(second!.id)).status).toBe("pending");
  });
});
