import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSENT_TEXT_VERSION } from "../../src/engine/consent-version.ts";
import { Prisma } from "../../src/generated/prisma/client.ts";
import { relayOnce } from "../../src/jobs/workers/relay.ts";
import { REGISTRATION_SCRIPT } from "../fixtures/registration.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.startWorkers();
});
afterAll(async () => {
  await h.close();
});

async function personOf(user: string) {
  const account = await h.prisma.channelAccount.findUniqueOrThrow({
    where: { channel_externalId: { channel: "console", externalId: user } },
  });
  return account.personId;
}

describe("registration through runner, database and queue", () => {
  it("stores the profile, both consents with their text version, and replies in order", async () => {
    const answers = await h.chat("ani", ...REGISTRATION_SCRIPT);
    expect(answers[0]![0]).toContain("Ini layanan otomatis PKI Kota Uji");
    expect(answers.at(-1)![0]).toContain("Anda sudah terdaftar sebagai pencari kerja");
    const personId = await personOf("ani");
    const profile = await h.prisma.seekerProfile.findUniqueOrThrow({ where: { personId } });
    expect(profile).toMatchObject({
      fullName: "Ani Lestari",
      cityCode: "7371",
      disabilityCategories: ["rungu", "fisik"],
      education: "smk",
      skills: ["menjahit", "komputer"],
      experience: null,
      workModes: ["onsite"],
      accommodations: [],
      communication: ["text"],
      phone: "+628123456789",
    });
    const consents = await h.prisma.consentRecord.findMany({
      where: { personId },
      orderBy: { createdAt: "asc" },
    });
    expect(consents.map((c) => [c.purpose, c.granted, c.textVersion, c.channel])).toEqual([
      ["data", true, CONSENT_TEXT_VERSION, "console"],
      ["disability", true, CONSENT_TEXT_VERSION, "console"],
    ]);
    // Processed messages keep no text.
    const kept = await h.prisma.inboundMessage.count({
      where: { personId, payload: { not: Prisma.DbNull } },
    });
    expect(kept).toBe(0);
  });

  it("logs data requests and applies changes, stop and resume", async () => {
    const personId = await personOf("ani");
    const [, , , , stopped, started] = await h.chat(
      "ani",
      "data saya",
      "1",
      "1",
      "Ani L.",
      "berhenti",
      "mulai",
    );
    expect(stopped![0]).toContain("kami tidak akan mengirim");
    expect(started![0]).toContain("Anda akan menerima");
    expect((await h.prisma.seekerProfile.findUniqueOrThrow({ where: { personId } })).fullName).toBe(
      "Ani L.",
    );
    expect((await h.prisma.person.findUniqueOrThrow({ where: { id: personId } })).status).toBe(
      "active",
    );
    const requests = await h.prisma.dataRequest.findMany({
      where: { personId },
      orderBy: { createdAt: "asc" },
    });
    expect(requests.map((r) => [r.kind, r.detail])).toEqual([
      ["view", null],
      ["correct", "name"],
      ["stop", null],
      ["start", null],
    ]);
  });

  it("keeps messages for staff while a handoff is open", async () => {
    const personId = await personOf("ani");
    await h.chat("ani", "petugas", "Saya butuh bantuan mengisi formulir");
    const handoff = await h.prisma.handoff.findFirstOrThrow({ where: { personId } });
    expect(handoff.status).toBe("open");
    const kept = await h.prisma.inboundMessage.findMany({
      where: { personId, payload: { not: Prisma.DbNull } },
      orderBy: { seq: "asc" },
    });
    expect(kept.map((m) => (m.payload as { text: string }).text)).toEqual([
      "petugas",
      "Saya butuh bantuan mengisi formulir",
    ]);
  });

  it("deletes all personal data, sends the goodbye, forgets the address, and starts afresh", async () => {
    const personId = await personOf("ani");
    const [, done] = await h.chat("ani", "hapus data", "ya");
    expect(done![0]).toContain("Semua data Anda sudah dihapus");
    const person = await h.prisma.person.findUniqueOrThrow({ where: { id: personId } });
    expect(person.status).toBe("deleted");
    expect(person.deletedAt).not.toBeNull();
    expect(await h.prisma.seekerProfile.count({ where: { personId } })).toBe(0);
    expect(await h.prisma.handoff.count({ where: { personId } })).toBe(0);
    expect(await h.prisma.conversation.count({ where: { personId } })).toBe(0);
    expect(
      await h.prisma.inboundMessage.count({
        where: { personId, payload: { not: Prisma.DbNull } },
      }),
    ).toBe(0);
    // The goodbye was the last message: the channel address goes after it is marked sent.
    await waitFor(
      async () => (await h.prisma.channelAccount.count({ where: { personId } })) === 0,
      30_000,
      "the address forgotten after the goodbye",
    );
    expect(await h.prisma.outbox.count({ where: { personId } })).toBe(0);
    // Only an anonymous trace remains: the deletion request itself.
    expect(
      (await h.prisma.dataRequest.findMany({ where: { personId } })).map((r) => r.kind),
    ).toContain("delete");

    const [again] = await h.chat("ani", "halo");
    expect(again![0]).toContain("Ini layanan otomatis");
    expect(await personOf("ani")).not.toBe(personId);
    expect((await relayOnce(h.deps, { graceMs: 0 })).forgotten).toBe(0);
  });
});
