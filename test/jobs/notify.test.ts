import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { relayOnce } from "../../src/jobs/workers/relay.ts";
import { FakeChannel } from "../helpers/fake-channel.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

describe("staff notice for a new handoff", () => {
  it("tells the staff chat the handoff's number and channel, nothing personal", async () => {
    const staff = new FakeChannel("telegram");
    await h.startWorkers({ staffNotice: { adapter: staff, to: "-100777" } });
    await h.chat(
      "nina",
      "halo",
      "1",
      "ya",
      "Nina Kusuma",
      "petugas",
      "Saya Tuli, butuh juru bahasa",
    );
    await expect.poll(() => staff.sent.length, { timeout: 10_000 }).toBe(1);
    const handoff = await h.prisma.handoff.findFirstOrThrow();
    const notice = staff.sent[0]!;
    expect(notice.to).toBe("-100777");
    expect(notice.message.text).toContain(handoff.id.slice(0, 8));
    expect(notice.message.text).toContain("console");
    expect(notice.message.text).not.toMatch(/Nina|Tuli|juru bahasa/);
    await expect
      .poll(async () => (await h.prisma.handoff.findFirstOrThrow()).notifiedAt, { timeout: 10_000 })
      .not.toBeNull();
  });

  it("is re-queued by the relay if a crash lost it, and sent once", async () => {
    const staff = new FakeChannel("telegram");
    const account = await h.prisma.channelAccount.create({
      data: { channel: "console", externalId: "omar", person: { create: {} } },
    });
    // Committed by a turn whose process died before queueing the notice.
    await h.prisma.handoff.create({ data: { personId: account.personId, channel: "console" } });
    await h.startWorkers({ staffNotice: { adapter: staff, to: "-100777" } });
    await relayOnce(h.deps, { graceMs: 0 });
    await relayOnce(h.deps, { graceMs: 0 });
    await expect.poll(() => staff.sent.length, { timeout: 10_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(staff.sent).toHaveLength(1);
  });
});
