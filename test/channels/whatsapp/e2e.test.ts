/**
 * A person on WhatsApp, end to end: the gateway (with a fake socket standing
 * in for WhatsApp's servers), the runner and engine on real PostgreSQL and
 * Redis, and the WhatsApp send worker in the gateway's process. Every choice
 * is typed: WhatsApp via Baileys has no buttons.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { whatsappWiring } from "../../../src/boot.ts";
import { createWhatsApp, type WhatsAppParts } from "../../../src/channels/whatsapp/index.ts";
import { startSendWorkers, type WorkerSet } from "../../../src/jobs/workers/index.ts";
import { waitFor } from "../../helpers/fake-channel.ts";
import { type FakeWhatsAppSocket, fakeSockets } from "../../helpers/fake-whatsapp.ts";
import { createHarness, type Harness } from "../../helpers/harness.ts";

const LID = "987654321098765@lid";
let h: Harness;
let parts: WhatsAppParts;
let socket: FakeWhatsAppSocket;
let senders: WorkerSet;

beforeAll(async () => {
  h = await createHarness();
  const fake = fakeSockets();
  parts = createWhatsApp(
    {
      authKey: randomBytes(32),
      session: "e2e",
      perMinute: 1000,
      proactivePerMinute: 60,
      proactivePerDay: 100,
      jitterMs: [0, 0],
    },
    whatsappWiring(h.deps),
    h.redis,
    h.prefix,
    { makeSocket: fake.make, heartbeatMs: 100 },
  );
  await h.startWorkers();
  await parts.gateway.start();
  await waitFor(() => fake.sockets.length === 1, 5000, "socket");
  socket = fake.latest();
  socket.emit("connection.update", { connection: "open" });
  await waitFor(() => parts.gateway.connected() !== null, 5000, "open");
  senders = startSendWorkers({
    deps: h.deps,
    connection: h.redis,
    prefix: h.prefix,
    channels: [{ adapter: parts.adapter, concurrency: 2 }],
  });
});
afterAll(async () => {
  await senders?.close(5000);
  await parts?.gateway.stop();
  await h?.close();
});

let n = 0;
/** The person writes `text`; answers what the service sent back, once all of it went out. */
async function say(text: string): Promise<string[]> {
  n += 1;
  const id = `3EB0E2E${n}`;
  socket.emit("messages.upsert", {
    type: "notify",
    messages: [
      {
        key: { remoteJid: LID, remoteJidAlt: "6281234567890@s.whatsapp.net", fromMe: false, id },
        messageTimestamp: Math.floor(Date.now() / 1000),
        pushName: "Rudi",
        message: { conversation: text },
      },
    ],
  });
  let rows: { id: string; status: string; externalId: string | null }[] = [];
  await waitFor(
    async () => {
      const inbound = await h.prisma.inboundMessage.findFirst({
        where: { channel: "whatsapp", externalMessageId: `${LID}:${id}` },
      });
      if (inbound?.status !== "processed") return false;
      rows = await h.prisma.outbox.findMany({
        where: { inboundId: inbound.id },
        orderBy: { seq: "asc" },
      });
      return rows.length > 0 && rows.every((r) => r.status === "sent");
    },
    15_000,
    `answers to "${text}"`,
  );
  // What the socket was asked to send, found by the ids it answered.
  return rows.map((r) => socket.sent[Number(r.externalId!.replace("3EB0FAKE", "")) - 1]!.text);
}

describe("WhatsApp end to end", () => {
  it("registers a person completely by typing, with numbered menus and typing shown", async () => {
    // One message per turn: the greeting and the language question together.
    const [greeting, ...more] = await say("halo");
    expect(more).toEqual([]);
    expect(greeting).toContain("Ini layanan otomatis");
    expect(greeting).toContain("1. Bahasa Indonesia\n2. English");
    const [consent] = await say("1");
    expect(consent).toContain("Apakah Anda setuju data Anda disimpan");
    const transcript: string[] = [];
    for (const answer of [
      "ya",
      "Rudi Hartono",
      "makasar",
      "ya",
      "tuli",
      "SMK",
      "menjahit",
      "lewati",
      "penjahit",
      "1",
      "1",
      "1",
      "lewati",
      "ya",
    ])
      transcript.push(...(await say(answer)));
    expect(transcript.join("\n")).toContain("Anda sudah terdaftar sebagai pencari kerja");

    const account = await h.prisma.channelAccount.findFirstOrThrow({
      where: { channel: "whatsapp", externalId: LID },
      include: { person: { include: { profile: true } } },
    });
    // Known by the LID; the phone number kept because WhatsApp showed it.
    expect(account.person.profile).toMatchObject({
      fullName: "Rudi Hartono",
      cityCode: "7371",
      disabilityCategories: ["rungu"],
      education: "smk",
    });
    // Every reply went to the LID, with "typing…" before it, and was marked read.
    expect(new Set(socket.sent.map((s) => s.jid))).toEqual(new Set([LID]));
    expect(socket.presence.filter((p) => p.startsWith("composing"))).toHaveLength(
      socket.sent.length,
    );
    expect(socket.read).toHaveLength(n);
    const rows = await h.prisma.outbox.findMany({ where: { channelAccountId: account.id } });
    expect(rows.every((r) => r.status === "sent" && r.externalId?.startsWith("3EB0FAKE"))).toBe(
      true,
    );
  });

  it("reaches a person and stops messages by typing, as on every channel", async () => {
    const answers = await say("petugas");
    expect(answers.join("\n")).toMatch(/petugas/i);
    expect(await h.prisma.handoff.count({ where: { channel: "whatsapp" } })).toBe(1);
    await say("berhenti");
    const account = await h.prisma.channelAccount.findFirstOrThrow({
      where: { channel: "whatsapp", externalId: LID },
      include: { person: true },
    });
    expect(account.person.status).toBe("stopped");
  });
});
