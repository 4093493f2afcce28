import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChannelHold, SendError } from "../../src/lib/errors.ts";
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

async function queueMessage(user: string, kind: "reply" | "proactive" = "reply") {
  const account = await h.account(user);
  const refs = await h.commitMessages(account, [{ text: `untuk ${user}`, kind }]);
  await enqueueOutbox({ ...h.deps, now: new Date() }, refs);
  return { account, id: refs[0]!.id };
}

const status = async (id: string) =>
  (await h.prisma.outbox.findUniqueOrThrow({ where: { id } })).status;

describe("send worker", () => {
  it("retries a retryable error, then sends", async () => {
    h.channel.behaviour = (attempt) =>
      attempt < 3 ? new SendError("rate_limited", "slow down", true, 50) : undefined;
    await h.startWorkers();
    const { id } = await queueMessage("fajar");
    await waitFor(async () => (await status(id)) === "sent", 15_000, "sent after retries");
    expect(h.channel.attempts).toBe(3);
    expect((await h.prisma.outbox.findUniqueOrThrow({ where: { id } })).attempts).toBe(3);
  });

  it("fails a permanent error without retrying and marks a blocked person unreachable", async () => {
    h.channel.behaviour = () => new SendError("blocked", "bot was blocked by the user", false);
    await h.startWorkers();
    const { id, account } = await queueMessage("gita");
    await waitFor(async () => (await status(id)) === "failed");
    const row = await h.prisma.outbox.findUniqueOrThrow({ where: { id } });
    expect(row.reason).toBe("blocked: bot was blocked by the user");
    expect(h.channel.attempts).toBe(1);
    const after = await h.prisma.channelAccount.findUniqueOrThrow({ where: { id: account.id } });
    expect(after.reachable).toBe(false);
  });

  it("skips proactive messages to people who stopped them, but still answers them", async () => {
    await h.startWorkers();
    const { id, account } = await queueMessage("hadi", "proactive");
    await waitFor(async () => (await status(id)) === "sent");
    await h.prisma.person.update({ where: { id: account.personId }, data: { status: "stopped" } });
    const refs = await h.commitMessages(account, [
      { text: "promo", kind: "proactive" },
      { text: "jawaban" },
    ]);
    await enqueueOutbox({ ...h.deps, now: new Date() }, refs);
    await waitFor(async () => (await status(refs[1]!.id)) === "sent");
    await waitFor(async () => (await status(refs[0]!.id)) === "skipped");
    const skipped = await h.prisma.outbox.findUniqueOrThrow({ where: { id: refs[0]!.id } });
    expect(skipped.reason).toBe("stopped");
    expect(h.channel.textsTo("hadi")).toEqual(["untuk hadi", "jawaban"]);
  });

  it("keeps a message waiting while the channel holds it, however often, without using attempts", async () => {
    // Ten holds (not connected, sending stopped) against a job with two attempts.
    h.channel.behaviour = (attempt) =>
      attempt <= 10 ? new ChannelHold("not connected", 20) : undefined;
    await h.startWorkers();
    const refs = await h.commitMessages(await h.account("tahan"), [{ text: "sabar" }]);
    await h.queues
      .get("send-console")
      .add("send", { outboxId: refs[0]!.id }, { jobId: refs[0]!.id, attempts: 2 });
    await waitFor(async () => (await status(refs[0]!.id)) === "sent", 15_000, "sent after holds");
    expect(h.channel.attempts).toBe(11);
    // Sent once, by a job allowed two attempts: the ten holds used none of them.
    expect(h.channel.textsTo("tahan")).toEqual(["sabar"]);
  });

  it("gives up after the last attempt and records why", async () => {
    h.channel.behaviour = () => new SendError("server", "502 bad gateway", true, 10);
    await h.startWorkers();
    const refs = await h.commitMessages(await h.account("ika"), [{ text: "x" }]);
    await h.queues
      .get("send-console")
      .add("send", { outboxId: refs[0]!.id }, { jobId: refs[0]!.id, attempts: 2 });
    await waitFor(async () => (await status(refs[0]!.id)) === "failed", 15_000);
    expect(h.channel.attempts).toBe(2);
    expect((await h.prisma.outbox.findUniqueOrThrow({ where: { id: refs[0]!.id } })).reason).toBe(
      "server: 502 bad gateway",
    );
  });

  it("delivers replies to one person in the order they were written, each once", async () => {
    // Slow, jittery sends tempt concurrent workers to overtake each other.
    h.channel.behaviour = () =>
      new Promise((r) => setTimeout(() => r(undefined), Math.random() * 30));
    await h.startWorkers();
    await h.startWorkers();
    const account = await h.account("urut");
    const texts = Array.from({ length: 12 }, (_, i) => `pesan ${i + 1}`);
    const refs = await h.commitMessages(
      account,
      texts.map((text) => ({ text })),
    );
    await enqueueOutbox({ ...h.deps, now: new Date() }, refs);
    await waitFor(() => h.channel.sent.length === texts.length, 15_000, "all sent");
    await new Promise((r) => setTimeout(r, 300));
    expect(h.channel.textsTo("urut")).toEqual(texts);
    const rows = await h.prisma.outbox.findMany({ where: { personId: account.personId } });
    expect(
      rows.every((r) => r.status === "sent" && r.attempts === 1 && r.lockedUntil === null),
    ).toBe(true);
  });
});
