/**
 * Messages written just before "ya, hapus data" was processed, which wait
 * while the goodbye is sent and the address forgotten (CI caught this as a
 * job failing forever with P2025).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forgetAddress } from "../../src/jobs/workers/send.ts";
import { drainPerson } from "../../src/runner/process.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

async function deletedWithWaitingMessage(accountId?: string) {
  const account = await h.account("zed");
  await h.prisma.person.update({
    where: { id: account.personId },
    data: { status: "deleted", deletedAt: new Date() },
  });
  const message = await h.prisma.inboundMessage.create({
    data: {
      channel: "console",
      externalMessageId: "zed-late",
      personId: account.personId,
      channelAccountId: accountId ?? account.id,
      payload: { text: "halo lagi" },
      receivedAt: new Date(),
    },
  });
  return { account, message };
}

describe("a message that waits while its sender's data is deleted", () => {
  it("keeps the address while a message on it waits, so the message can start a new person", async () => {
    const { account } = await deletedWithWaitingMessage();
    await forgetAddress(h.prisma, account.personId);
    const kept = await h.prisma.channelAccount.findUnique({ where: { id: account.id } });
    expect(kept).not.toBeNull();
    await drainPerson(h.deps, account.personId);
    const moved = await h.prisma.channelAccount.findUniqueOrThrow({ where: { id: account.id } });
    expect(moved.personId).not.toBe(account.personId);
  });

  it("closes messages whose address is already gone instead of failing forever", async () => {
    const { account, message } = await deletedWithWaitingMessage(
      "00000000-0000-4000-8000-00000000dead",
    );
    await expect(drainPerson(h.deps, account.personId)).resolves.toMatchObject({ replies: 0 });
    const closed = await h.prisma.inboundMessage.findUniqueOrThrow({ where: { id: message.id } });
    expect(closed.status).toBe("processed");
    expect(closed.payload).toBeNull();
  });
});
