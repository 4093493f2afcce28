import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expireInactive } from "../../src/jobs/workers/retention.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

describe("retention", () => {
  it("deletes the data of people inactive for longer than the period, and nobody else's", async () => {
    await h.startWorkers();
    await h.chat("lama", "halo", "1", "ya", "Orang Lama");
    await h.chat("baru", "halo", "1", "ya", "Orang Baru");
    const personOf = async (user: string) =>
      (
        await h.prisma.channelAccount.findUniqueOrThrow({
          where: { channel_externalId: { channel: "console", externalId: user } },
        })
      ).personId;
    const old = await personOf("lama");
    const recent = await personOf("baru");
    await h.prisma.person.update({
      where: { id: old },
      data: { lastActiveAt: new Date(Date.now() - 731 * 86_400_000) },
    });

    expect(await expireInactive(h.deps, 730)).toEqual({ expired: 1 });
    const gone = await h.prisma.person.findUniqueOrThrow({ where: { id: old } });
    expect(gone.status).toBe("deleted");
    expect(await h.prisma.conversation.count({ where: { personId: old } })).toBe(0);
    expect(await h.prisma.inboundMessage.count({ where: { personId: old } })).toBe(0);
    expect(await h.prisma.channelAccount.count({ where: { personId: old } })).toBe(0);
    const consents = await h.prisma.consentRecord.findMany({
      where: { personId: old },
      orderBy: { createdAt: "desc" },
    });
    expect(consents[0]!.granted).toBe(false);
    expect(
      (await h.prisma.dataRequest.findMany({ where: { personId: old } })).map((r) => r.kind),
    ).toEqual(["expired"]);

    expect((await h.prisma.person.findUniqueOrThrow({ where: { id: recent } })).status).toBe(
      "active",
    );
    expect(await h.prisma.conversation.count({ where: { personId: recent } })).toBe(1);
    // Nothing more to do the second time.
    expect(await expireInactive(h.deps, 730)).toEqual({ expired: 0 });
  });
});
