import { Worker } from "bullmq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { relayOnce } from "../../src/jobs/workers/relay.ts";
import { enqueueOutbox } from "../../src/outbox/outbox.ts";
import { enqueueInbound, receive } from "../../src/runner/receive.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

const inbound = (user: string, id: string, text: string) => ({
  channel: "console" as const,
  externalUserId: user,
  externalMessageId: id,
  text,
  receivedAt: new Date(),
});

describe("inbound → engine → outbox → channel", () => {
  it("greets a new person through the queue and records every reply as sent", async () => {
    await h.startWorkers();
    await receive(h.deps, inbound("ani", "m1", "halo"));
    // The greeting and the language question: one message (one per turn where they fit).
    await waitFor(() => h.channel.sent.length === 1, 10_000, "the reply");
    expect(h.channel.textsTo("ani")[0]).toContain("PKI Kota Uji");
    expect(h.channel.textsTo("ani")[0]).toMatch(/\n\nPilih bahasa/);
    // The channel has it; marking it sent follows (a moment later on a busy machine).
    await waitFor(
      async () => (await h.prisma.outbox.count({ where: { status: "sent" } })) === 1,
      30_000,
      "the reply marked sent",
    );
    const rows = await h.prisma.outbox.findMany();
    expect(rows.map((r) => r.status)).toEqual(["sent"]);
    const message = await h.prisma.inboundMessage.findFirstOrThrow();
    expect(message.status).toBe("processed");
    expect(message.payload).toBeNull();
  });

  it("processes a repeated channel message id once", async () => {
    const first = await receive(h.deps, inbound("budi", "dup-1", "halo"));
    const again = await receive(h.deps, inbound("budi", "dup-1", "halo"));
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await h.prisma.inboundMessage.count()).toBe(1);
    await h.startWorkers();
    await waitFor(() => h.channel.sent.length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.channel.sent).toHaveLength(1);
  });
});

describe("crash between commit and enqueue", () => {
  it("the relay queues the committed row and it is delivered exactly once", async () => {
    const account = await h.account("citra");
    // The transaction committed, then the process died before enqueueing.
    const refs = await h.commitMessages(account, [{ text: "pesan yang tertinggal" }]);
    await h.startWorkers();
    await new Promise((r) => setTimeout(r, 300));
    expect(h.channel.sent).toHaveLength(0);

    const relayed = await relayOnce(h.deps, { graceMs: 0 });
    expect(relayed.outbox).toBe(1);
    await waitFor(() => h.channel.sent.length === 1);

    // A second relay run and a late enqueue from the "dead" process change nothing.
    expect((await relayOnce(h.deps, { graceMs: 0 })).outbox).toBe(0);
    await enqueueOutbox({ ...h.deps, now: new Date() }, refs);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.channel.textsTo("citra")).toEqual(["pesan yang tertinggal"]);
    expect((await h.prisma.outbox.findFirstOrThrow()).status).toBe("sent");
  });

  it("re-queues a row whose job Redis lost, once", async () => {
    const account = await h.account("dewi");
    const [ref] = await h.commitMessages(account, [{ text: "hilang di Redis" }]);
    // Marked as queued long ago, but the job is gone (Redis restarted without persistence).
    await h.prisma.outbox.update({
      where: { id: ref!.id },
      data: { enqueuedAt: new Date(Date.now() - 60 * 60_000) },
    });
    await h.startWorkers();
    expect((await relayOnce(h.deps, { graceMs: 0, staleMs: 60_000 })).outbox).toBe(1);
    await waitFor(() => h.channel.sent.length === 1);
    expect(h.channel.textsTo("dewi")).toEqual(["hilang di Redis"]);
  });

  it("re-queues stored inbound messages that were never queued", async () => {
    const account = await h.account("eka");
    await h.prisma.inboundMessage.create({
      data: {
        channel: "console",
        externalMessageId: "lost-1",
        personId: account.personId,
        channelAccountId: account.id,
        receivedAt: new Date(),
        payload: { text: "halo" },
      },
    });
    await h.startWorkers();
    expect((await relayOnce(h.deps, { graceMs: 0 })).inbound).toBe(1);
    await waitFor(() => h.channel.sent.length === 1);
    expect((await h.prisma.inboundMessage.findFirstOrThrow()).status).toBe("processed");
  });
});

describe("messages PostgreSQL cannot store as they are", () => {
  it("stores and answers a message with NUL characters and unpaired surrogates", async () => {
    await h.startWorkers();
    const stored = await receive(h.deps, inbound("nul", "nul-1", "ha\u0000lo \ud800"));
    expect(stored.duplicate).toBe(false);
    await waitFor(() => h.channel.sent.length === 1);
    const row = await h.prisma.inboundMessage.findUniqueOrThrow({
      where: { id: stored.inboundId },
    });
    expect(row.status).toBe("processed");
  });
});

describe("jobs that run out of attempts", () => {
  it("the relay re-queues a pending row whose job failed for good, and it is sent", async () => {
    const account = await h.account("gagal");
    const refs = await h.commitMessages(account, [{ text: "akhirnya" }]);
    // A job that failed for good in a process that died before settling its row.
    const broken = new Worker(
      "send-console",
      async () => {
        throw new Error("database unavailable");
      },
      { connection: h.redis, prefix: h.prefix },
    );
    const job = await h.queues
      .get("send-console")
      .add("send", { outboxId: refs[0]!.id }, { jobId: refs[0]!.id, attempts: 1 });
    await waitFor(async () => (await job.getState()) === "failed");
    await broken.close();
    await h.prisma.outbox.update({
      where: { id: refs[0]!.id },
      data: { enqueuedAt: new Date(Date.now() - 3_600_000) },
    });
    await h.startWorkers();
    expect((await relayOnce(h.deps, { graceMs: 0, staleMs: 60_000 })).outbox).toBe(1);
    await waitFor(() => h.channel.sent.length === 1);
    expect(h.channel.textsTo("gagal")).toEqual(["akhirnya"]);
  });
});

describe("a message written just as the data was deleted", () => {
  it("starts a new person instead of reviving the deleted one", async () => {
    const account = await h.account("cepat");
    await h.prisma.person.update({
      where: { id: account.personId },
      data: { status: "deleted", deletedAt: new Date() },
    });
    const msg = await h.prisma.inboundMessage.create({
      data: {
        channel: "console",
        externalMessageId: "late-1",
        personId: account.personId,
        channelAccountId: account.id,
        receivedAt: new Date(),
        payload: { text: "halo" },
      },
    });
    await h.startWorkers();
    await enqueueInbound(h.deps, { inboundId: msg.id, personId: account.personId });
    await waitFor(() => h.channel.sent.length === 1);
    expect(h.channel.textsTo("cepat")[0]).toContain("Ini layanan otomatis");
    const moved = await h.prisma.inboundMessage.findUniqueOrThrow({ where: { id: msg.id } });
    expect(moved.personId).not.toBe(account.personId);
    expect(moved.status).toBe("processed");
    expect(
      (await h.prisma.person.findUniqueOrThrow({ where: { id: account.personId } })).status,
    ).toBe("deleted");
    expect(await h.prisma.conversation.count({ where: { personId: account.personId } })).toBe(0);
  });
});
