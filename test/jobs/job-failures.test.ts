import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { broadcastJob } from "../../src/jobs/workers/broadcast.ts";
import { sendJob } from "../../src/jobs/workers/send.ts";
import { enqueueOutbox } from "../../src/outbox/outbox.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

const row = (id: string) => h.prisma.outbox.findUniqueOrThrow({ where: { id } });

describe("a job that cannot work", () => {
  it("fails at once, without retries, when its payload names no record id", async () => {
    await h.startWorkers();
    const send = h.queues.get("send-console");
    await send.add("send", { outboxId: "not-an-id" }, { jobId: "bad-send", attempts: 5 });
    const notify = h.queues.get("notify");
    await notify.add("handoff", { handoffId: "42" }, { jobId: "bad-notice", attempts: 5 });
    const broadcast = h.queues.get("broadcast");
    await broadcast.add("broadcast", { broadcastId: "" }, { jobId: "bad-fan-out", attempts: 5 });

    for (const [queue, id] of [
      [send, "bad-send"],
      [notify, "bad-notice"],
      [broadcast, "bad-fan-out"],
    ] as const) {
      await waitFor(async () => (await queue.getJobState(id)) === "failed", 10_000, id);
      const job = await queue.getJob(id);
      expect(job!.attemptsMade, id).toBe(1);
      expect(job!.failedReason, id).toMatch(/^invalid payload/);
    }
    expect(h.channel.attempts).toBe(0);
  });
});

describe("a job given up", () => {
  const gaveUp = (data: object) => ({ data, attemptsMade: 8, opts: { attempts: 8 } }) as never;

  it("leaves its outbox row failed, not pending", async () => {
    const refs = await h.commitMessages(await h.account("menyerah"), [{ text: "x" }]);
    await sendJob(h.deps, { adapter: h.channel }).giveUp!(
      gaveUp({ outboxId: refs[0]!.id }),
      new TypeError("boom"),
    );
    const settled = await row(refs[0]!.id);
    expect([settled.status, settled.reason]).toEqual(["failed", "gave up: TypeError"]);
  });

  it("marks its broadcast failed", async () => {
    const b = await h.prisma.broadcast.create({
      data: {
        messageId: "Halo",
        segment: {},
        scope: [],
        status: "sending",
        sendAt: new Date(),
        createdBy: "test",
      },
    });
    await broadcastJob(h.deps, {}).giveUp!(gaveUp({ broadcastId: b.id }), new TypeError("boom"));
    const after = await h.prisma.broadcast.findUniqueOrThrow({ where: { id: b.id } });
    expect([after.status, after.reason]).toEqual(["failed", "fan-out gave up: TypeError"]);
  });
});

describe("stored subjects", () => {
  it("are checked as before: an old vacancy string, a broadcast, a training, a malformed one", async () => {
    const account = await h.account("subjek");
    const refs = await h.commitMessages(account, [
      { text: "lowongan", kind: "proactive" },
      { text: "siaran", kind: "proactive" },
      { text: "pelatihan", kind: "proactive" },
      { text: "rusak", kind: "proactive" },
    ]);
    const subjects = [
      // A vacancy that no longer exists: the text as rows have always held it.
      `vacancy:${randomUUID()}`,
      `broadcast:${randomUUID()}`,
      `training:${randomUUID()}`,
      "vacancy:42",
    ];
    for (const [i, ref] of refs.entries()) {
      await h.prisma.outbox.update({ where: { id: ref.id }, data: { subject: subjects[i] } });
      ref.subject = subjects[i]!;
    }
    await h.startWorkers();
    await enqueueOutbox({ ...h.deps, now: new Date() }, refs);
    await waitFor(async () => {
      const rows = await Promise.all(refs.map((r) => row(r.id)));
      return rows.every((r) => r.status !== "pending");
    }, 15_000);
    const [vacancy, broadcast, training, malformed] = await Promise.all(refs.map((r) => row(r.id)));
    expect([vacancy!.status, vacancy!.reason]).toEqual(["skipped", "vacancy_closed"]);
    expect(broadcast!.status).toBe("sent");
    expect(training!.status).toBe("sent");
    expect([malformed!.status, malformed!.reason]).toEqual(["failed", "malformed subject"]);
    // Reminders go before other proactive messages (queues.ts, sendPriority): order not asserted.
    expect(h.channel.textsTo("subjek").sort()).toEqual(["pelatihan", "siaran"]);
  });
});
