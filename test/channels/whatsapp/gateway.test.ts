/**
 * The WhatsApp gateway driven by a fake socket with Baileys' event interface,
 * against real PostgreSQL and Redis: pairing (QR and code), credentials that
 * survive a restart, the reconnect policy acted out, one gateway per number,
 * inbound messages stored once, and replies sent through the send worker.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { WAMessage } from "@whiskeysockets/baileys";
import { DisconnectReason } from "@whiskeysockets/baileys";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { whatsappWiring } from "../../../src/boot.ts";
import { createWhatsApp, type WhatsAppParts } from "../../../src/channels/whatsapp/index.ts";
import type { WhatsAppConfig } from "../../../src/env.ts";
import { startSendWorkers, type WorkerSet } from "../../../src/jobs/workers/index.ts";
import { enqueueOutbox } from "../../../src/outbox/outbox.ts";
import { releaseHeld } from "../../../src/outbox/whatsapp.ts";
import { waitFor } from "../../helpers/fake-channel.ts";
import { fakeSockets } from "../../helpers/fake-whatsapp.ts";
import { createHarness, type Harness } from "../../helpers/harness.ts";

const fixtures = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../fixtures/whatsapp/messages.json"), "utf8"),
) as Record<string, WAMessage>;

const LID = "123456789012345@lid";

let h: Harness;
const running: { stop(): Promise<void> }[] = [];
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop();
  await h.close();
});

const config = (overrides: Partial<WhatsAppConfig> = {}): WhatsAppConfig => ({
  authKey: randomBytes(32),
  session: "pki",
  perMinute: 60,
  proactivePerMinute: 60,
  proactivePerDay: 100,
  jitterMs: [0, 0],
  ...overrides,
});

/** A gateway with fake sockets; started unless told otherwise. */
async function gateway(cfg: WhatsAppConfig, opts: { start?: boolean; deps?: typeof h.deps } = {}) {
  const fake = fakeSockets();
  const shown: string[] = [];
  const parts: WhatsAppParts = createWhatsApp(
    cfg,
    whatsappWiring(opts.deps ?? h.deps),
    h.redis,
    h.prefix,
    {
      makeSocket: fake.make,
      heartbeatMs: 100,
      // What the terminal would show.
      display: {
        qr: (qr) => shown.push(`qr ${qr}`),
        pairingCode: (code) => shown.push(`code ${code}`),
      },
    },
  );
  if (opts.start !== false) {
    await parts.gateway.start();
    running.push(parts.gateway);
  }
  return { ...parts, ...fake, shown };
}

const status = (parts: WhatsAppParts) => parts.control.readStatus();
const waitState = (parts: WhatsAppParts, state: string) =>
  waitFor(async () => (await status(parts))?.state === state, 5000, `state ${state}`);

async function open(parts: Awaited<ReturnType<typeof gateway>>) {
  await waitFor(() => parts.sockets.length > 0, 5000, "a socket");
  parts.latest().emit("connection.update", { connection: "open" });
  await waitState(parts, "open");
}

const alerts = async () =>
  (await h.queues.get("notify").getJobs(["waiting", "delayed", "prioritized"])).map((j) => j.data);

describe("WhatsApp gateway: pairing and the stored session", () => {
  it("shows the QR code, saves credentials, reconnects after pairing, and a restart needs no new login", async () => {
    const cfg = config();
    const first = await gateway(cfg);
    await waitFor(() => first.sockets.length === 1, 5000, "first socket");
    const socket = first.latest();
    expect(socket.config.auth.creds.registered).toBe(false);

    socket.emit("connection.update", { qr: "2@qr-one" });
    await waitFor(async () => (await status(first))?.qr === "2@qr-one", 5000, "QR reported");
    expect((await status(first))?.state).toBe("pairing");
    expect(first.shown).toEqual(["qr 2@qr-one"]);

    // The phone scanned it: Baileys updates the credentials, then asks for a restart (515).
    socket.config.auth.creds.me = { id: "6281100000000:7@s.whatsapp.net", name: "PKI" };
    socket.config.auth.creds.account = {
      details: Buffer.from("device details"),
      accountSignature: Buffer.from("signature"),
    };
    socket.emit("creds.update", { registered: true });
    socket.close(DisconnectReason.restartRequired);
    await waitFor(() => first.sockets.length === 2, 5000, "reconnected at once");
    // The new socket starts from the stored credentials.
    expect(first.latest().config.auth.creds.account?.details).toEqual(
      Buffer.from("device details"),
    );
    await open(first);
    expect(first.gateway.connected()).toBe(first.latest());

    // Stored encrypted: neither the number nor the key material is readable in the row.
    const row = await h.prisma.whatsAppAuth.findFirstOrThrow({
      where: { session: "pki", type: "creds" },
    });
    expect(Buffer.from(row.value).toString("latin1")).not.toContain("6281100000000");

    // A restart (a new process, the same key): no QR, straight to open.
    await first.gateway.stop();
    const second = await gateway(cfg);
    await waitFor(() => second.sockets.length === 1, 5000, "socket after restart");
    expect(second.latest().config.auth.creds.account).toBeTruthy();
    expect(second.latest().config.auth.creds.me?.id).toBe("6281100000000:7@s.whatsapp.net");
    await open(second);
    expect(second.shown).toEqual([]);
  });

  it("pairs by code with WHATSAPP_PAIRING_NUMBER, asking once per connection", async () => {
    const parts = await gateway(config({ pairingNumber: "6281100000000" }));
    await waitFor(() => parts.sockets.length === 1, 5000, "socket");
    parts.latest().emit("connection.update", { qr: "2@qr-one" });
    parts.latest().emit("connection.update", { qr: "2@qr-two" });
    await waitFor(
      async () => (await status(parts))?.pairingCode === "ABCD-1234",
      5000,
      "code reported",
    );
    expect(parts.latest().pairingRequests).toEqual(["6281100000000"]);
    expect(parts.shown).toEqual(["code ABCD-1234"]);
    expect((await status(parts))?.qr).toBeUndefined();
  });

  it("switches from QR to a pairing code when staff ask for one", async () => {
    const parts = await gateway(config());
    await waitFor(() => parts.sockets.length === 1, 5000, "socket");
    parts.latest().emit("connection.update", { qr: "2@qr-one" });
    await waitState(parts, "pairing");
    await parts.control.request({ kind: "pair", phone: "6281199999999" });
    await waitFor(
      async () => (await status(parts))?.pairingCode === "ABCD-1234",
      5000,
      "code after the request",
    );
    expect(parts.latest().pairingRequests).toEqual(["6281199999999"]);
  });
});

describe("WhatsApp gateway: when the connection closes", () => {
  it("reconnects with backoff after a lost connection", async () => {
    const parts = await gateway(config());
    await open(parts);
    parts.latest().close(DisconnectReason.connectionLost);
    await waitState(parts, "reconnecting");
    expect((await status(parts))?.retryInMs).toBeGreaterThanOrEqual(500);
    expect(parts.gateway.connected()).toBeNull();
    await waitFor(() => parts.sockets.length === 2, 5000, "a new socket after the wait");
    await open(parts);
  });

  it("logged out: stops, forgets the credentials, alerts staff, and pairs anew only when asked", async () => {
    const parts = await gateway(config());
    await waitFor(() => parts.sockets.length === 1, 5000, "socket");
    parts.latest().emit("creds.update", {});
    await waitFor(
      async () => (await h.prisma.whatsAppAuth.count({ where: { session: "pki" } })) > 0,
      5000,
      "credentials stored",
    );
    parts.latest().emit("connection.update", { connection: "open" });
    parts.latest().close(DisconnectReason.loggedOut);
    await waitState(parts, "logged_out");
    await waitFor(async () => (await alerts()).length > 0, 5000, "alert");
    expect(await h.prisma.whatsAppAuth.count({ where: { session: "pki" } })).toBe(0);
    expect(await alerts()).toEqual([{ whatsapp: "logged_out" }]);
    // No loop: nothing happens until staff act.
    await new Promise((r) => setTimeout(r, 700));
    expect(parts.sockets).toHaveLength(1);
    expect((await status(parts))?.state).toBe("logged_out");

    await parts.control.request({ kind: "connect" });
    await waitFor(() => parts.sockets.length === 2, 5000, "connects when asked");
    expect(parts.latest().config.auth.creds.registered).toBe(false);
  });

  it.each([
    [DisconnectReason.connectionReplaced, "replaced"],
    [DisconnectReason.forbidden, "forbidden"],
    [DisconnectReason.multideviceMismatch, "multidevice_mismatch"],
  ])(
    "code %i: stops without looping, keeps the credentials, alerts staff (%s)",
    async (code, state) => {
      const parts = await gateway(config());
      await waitFor(() => parts.sockets.length === 1, 5000, "socket");
      parts.latest().emit("creds.update", {});
      await open(parts);
      parts.latest().close(code);
      await waitState(parts, state);
      await new Promise((r) => setTimeout(r, 700));
      expect(parts.sockets).toHaveLength(1);
      expect(await h.prisma.whatsAppAuth.count({ where: { session: "pki" } })).toBeGreaterThan(0);
      expect(await alerts()).toEqual([{ whatsapp: state }]);
    },
  );

  it("remembers a stop across a restart: a new gateway waits for staff too", async () => {
    const cfg = config();
    const first = await gateway(cfg);
    await open(first);
    first.latest().close(DisconnectReason.connectionReplaced);
    await waitState(first, "replaced");
    await first.gateway.stop();
    const second = await gateway(cfg);
    await waitState(second, "replaced");
    await new Promise((r) => setTimeout(r, 500));
    expect(second.sockets).toHaveLength(0);
    await second.control.request({ kind: "connect" });
    await waitFor(() => second.sockets.length === 1, 5000, "connects when asked");
  });

  it("stops a pairing that was not completed in time instead of showing new codes forever", async () => {
    const parts = await gateway(config());
    await waitFor(() => parts.sockets.length === 1, 5000, "socket");
    parts.latest().emit("connection.update", { qr: "2@qr-one" });
    await waitState(parts, "pairing");
    // Baileys ends the socket when its QR codes run out (408).
    parts.latest().close(DisconnectReason.timedOut);
    await waitState(parts, "pairing_expired");
    await new Promise((r) => setTimeout(r, 700));
    expect(parts.sockets).toHaveLength(1);
    await parts.control.request({ kind: "connect" });
    await waitFor(() => parts.sockets.length === 2, 5000, "pairs again when asked");
  });

  it("keeps trying without a network before any QR code (not a pairing timeout)", async () => {
    const parts = await gateway(config());
    await waitFor(() => parts.sockets.length === 1, 5000, "socket");
    parts.latest().close(DisconnectReason.timedOut);
    await waitState(parts, "reconnecting");
    await waitFor(() => parts.sockets.length === 2, 5000, "tries again");
  });

  it("stops with an alert when the stored session does not open with the key, and starts over when asked", async () => {
    const first = await gateway(config());
    await waitFor(() => first.sockets.length === 1, 5000, "socket");
    first.latest().config.auth.creds.account = { details: Buffer.from("d") };
    first.latest().emit("creds.update", {});
    await open(first);
    await first.gateway.stop();
    // Restarted with another WHATSAPP_AUTH_KEY.
    const second = await gateway(config());
    await waitState(second, "session_unreadable");
    expect(second.sockets).toHaveLength(0);
    await waitFor(async () => (await alerts()).length > 0, 5000, "alert");
    expect(await alerts()).toEqual([{ whatsapp: "session_unreadable" }]);
    await second.control.request({ kind: "connect" });
    await waitFor(() => second.sockets.length === 1, 5000, "starts over");
    expect(second.latest().config.auth.creds.account).toBeUndefined();
  });

  it("drops its connection when another gateway has taken the lock", async () => {
    const parts = await gateway(config());
    await open(parts);
    const socket = parts.latest();
    // The lock passed on (say Redis lost it and another gateway took it).
    await h.redis.set(`${h.prefix}:whatsapp:pki:gateway`, "someone-else");
    await waitFor(() => socket.ended, 5000, "socket ended");
    // Whatever Baileys still buffered was handed out first.
    expect(socket.flushed).toBe(1);
    expect(parts.gateway.connected()).toBeNull();
    expect(parts.gateway.state.state).toBe("waiting");
    await h.redis.del(`${h.prefix}:whatsapp:pki:gateway`);
    await waitFor(() => parts.sockets.length === 2, 5000, "takes it back when free");
  });

  it("lets exactly one gateway hold the number; another waits and takes over", async () => {
    const cfg = config();
    const first = await gateway(cfg);
    await open(first);
    const second = await gateway(cfg);
    await new Promise((r) => setTimeout(r, 500));
    expect(second.sockets).toHaveLength(0);
    expect(second.gateway.state.state).toBe("waiting");
    // The holder's state is what everyone reads.
    expect((await status(first))?.state).toBe("open");

    await first.gateway.stop();
    await waitFor(() => second.sockets.length === 1, 5000, "the second takes over");
    await open(second);
  });
});

describe("WhatsApp gateway: messages", () => {
  it("stores each notify message once, skips what is not a person's message, and marks them read", async () => {
    const parts = await gateway(config());
    await open(parts);
    const socket = parts.latest();
    const batch = [
      fixtures.text,
      fixtures.own_message,
      fixtures.group,
      fixtures.status_broadcast,
      fixtures.voice_note,
    ];
    socket.emit("messages.upsert", { type: "notify", messages: batch });
    // WhatsApp delivers again (a reconnect); and history sync ("append") is not new.
    socket.emit("messages.upsert", { type: "notify", messages: [fixtures.text] });
    socket.emit("messages.upsert", { type: "append", messages: [fixtures.unicode] });
    await waitFor(() => socket.read.length === 3, 5000, "read receipts");
    const stored = await h.prisma.inboundMessage.findMany({
      where: { channel: "whatsapp" },
      orderBy: { seq: "asc" },
    });
    expect(stored.map((m) => m.externalMessageId)).toEqual([`${LID}:3EB0A1`, `${LID}:3EB0A6`]);
    expect(stored.map((m) => (m.payload as { media?: string }).media)).toEqual([
      undefined,
      "voice",
    ]);
    const account = await h.prisma.channelAccount.findFirstOrThrow({
      where: { channel: "whatsapp" },
    });
    expect(account.externalId).toBe(LID);
    expect(socket.read.map((k) => k.id)).toEqual(["3EB0A1", "3EB0A6", "3EB0A1"]);
  });

  it("keeps one person one person when WhatsApp addresses them by number and then by LID", async () => {
    const parts = await gateway(config());
    await open(parts);
    const socket = parts.latest();
    // First seen at the phone-number JID only (nothing known about a LID yet).
    socket.emit("messages.upsert", { type: "notify", messages: [fixtures.text_phone_jid] });
    await waitFor(() => socket.read.length === 1, 5000, "first stored");
    const before = await h.prisma.channelAccount.findFirstOrThrow({
      where: { channel: "whatsapp" },
    });
    expect(before.externalId).toBe("6281234567890@s.whatsapp.net");
    // Then by LID with the number beside it: the same account, now keyed by the LID.
    socket.emit("messages.upsert", { type: "notify", messages: [fixtures.text_lid_with_alt] });
    await waitFor(() => socket.read.length === 2, 5000, "second stored");
    const accounts = await h.prisma.channelAccount.findMany({ where: { channel: "whatsapp" } });
    expect(accounts.map((a) => [a.id, a.externalId])).toEqual([[before.id, LID]]);
    // A later message at the number alone is keyed on the LID WhatsApp mapped to it.
    socket.lids.set("6281234567890@s.whatsapp.net", "123456789012345:0@lid");
    socket.emit("messages.upsert", {
      type: "notify",
      messages: [
        { ...fixtures.text_phone_jid, key: { ...fixtures.text_phone_jid!.key, id: "3EB0PN2" } },
      ],
    });
    await waitFor(() => socket.read.length === 3, 5000, "third stored");
    const stored = await h.prisma.inboundMessage.findMany({
      where: { channel: "whatsapp" },
      orderBy: { seq: "asc" },
    });
    expect(new Set(stored.map((m) => m.personId))).toEqual(new Set([before.personId]));
    expect(stored.at(-1)?.externalMessageId).toBe(`${LID}:3EB0PN2`);
    expect(await h.prisma.channelAccount.count({ where: { channel: "whatsapp" } })).toBe(1);
  });

  it("keeps trying to store a message while the database is away, and loses none", async () => {
    // The first three statements fail as if PostgreSQL were restarting (plain SQL and Prisma).
    let failures = 3;
    const bound = <T extends object>(target: T, key: PropertyKey) => {
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    };
    const accounts = new Proxy(h.prisma.channelAccount, {
      get: (target, key) =>
        key === "findUnique" && failures > 0
          ? async () => {
              failures -= 1;
              throw new Error("Can't reach database server");
            }
          : bound(target, key),
    });
    const prisma = new Proxy(h.prisma, {
      get: (target, key) => (key === "channelAccount" ? accounts : bound(target, key)),
    });
    const sql = {
      ...h.deps.sql,
      query: async (text: string, params?: unknown[]) => {
        if (failures > 0) {
          failures -= 1;
          throw new Error("Can't reach database server");
        }
        return h.deps.sql.query(text, params);
      },
    } as typeof h.deps.sql;
    const parts = await gateway(config(), { deps: { ...h.deps, prisma, sql } });
    await open(parts);
    parts.latest().emit("messages.upsert", {
      type: "notify",
      messages: [fixtures.text, fixtures.unicode],
    });
    await waitFor(() => parts.latest().read.length === 2, 10_000, "both stored");
    expect(failures).toBe(0);
    const stored = await h.prisma.inboundMessage.findMany({
      where: { channel: "whatsapp" },
      orderBy: { seq: "asc" },
    });
    expect(stored.map((m) => m.externalMessageId)).toEqual([`${LID}:3EB0A1`, `${LID}:3EB0A5`]);
  });

  it("stores messages that arrived while the service was offline (append)", async () => {
    const parts = await gateway(config());
    await open(parts);
    const recent = {
      ...fixtures.text,
      key: { ...fixtures.text!.key, id: "3EB0OFF1" },
      messageTimestamp: Math.floor(Date.now() / 1000) - 3600,
    };
    parts.latest().emit("messages.upsert", { type: "append", messages: [recent] });
    await waitFor(() => parts.latest().read.length === 1, 5000, "stored");
    expect(
      await h.prisma.inboundMessage.count({ where: { externalMessageId: `${LID}:3EB0OFF1` } }),
    ).toBe(1);
  });

  it("answers Baileys' getMessage with the text that was sent", async () => {
    const parts = await gateway(config());
    await waitFor(() => parts.sockets.length === 1, 5000, "socket");
    const account = await h.account(LID, "whatsapp");
    const [ref] = await h.commitMessages(account, [{ text: "Lowongan nomor 12" }]);
    await h.prisma.outbox.update({
      where: { id: ref!.id },
      data: { status: "sent", externalId: "3EB0SENT" },
    });
    const getMessage = parts.latest().config.getMessage;
    expect(await getMessage({ id: "3EB0SENT", remoteJid: LID })).toEqual({
      conversation: "Lowongan nomor 12",
    });
    expect(await getMessage({ id: "UNKNOWN", remoteJid: LID })).toBeUndefined();
  });
});

describe("WhatsApp restriction signals as Baileys 7 gives them", () => {
  async function sentRow(externalId: string) {
    const account = await h.account(LID, "whatsapp");
    const [ref] = await h.commitMessages(account, [{ text: "Lowongan baru", kind: "proactive" }]);
    await h.prisma.outbox.update({
      where: { id: ref!.id },
      data: { status: "sent", externalId, sentAt: new Date() },
    });
    return ref!.id;
  }

  it("error 463 on a sent message opens the circuit, alerts once, and the message waits to go again", async () => {
    const parts = await gateway(config());
    await open(parts);
    const id = await sentRow("3EB0SENT463");
    // Baileys acknowledges the send, then reports the server's 463 as a message update.
    parts.latest().emit("messages.update", [
      {
        key: { remoteJid: LID, fromMe: true, id: "3EB0SENT463" },
        update: { status: 0, messageStubParameters: ["463"] },
      },
    ]);
    await waitFor(async () => (await parts.circuit.state()) !== null, 5000, "circuit open");
    expect((await parts.circuit.state())?.reason).toBe("error 463");
    await waitFor(
      async () => (await h.prisma.outbox.findUniqueOrThrow({ where: { id } })).status === "pending",
      5000,
      "back to pending",
    );
    // Queued again, held by the open circuit.
    await waitFor(
      async () => (await h.queues.get("send-whatsapp").getJob(id)) !== undefined,
      5000,
      "queued again",
    );
    parts.latest().emit("messages.update", [
      {
        key: { remoteJid: LID, fromMe: true, id: "OTHER" },
        update: { status: 0, messageStubParameters: ["463", "Your account has been restricted"] },
      },
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await alerts()).filter((a) => "whatsapp" in a)).toEqual([
      { whatsapp: "restricted", detail: "error 463" },
    ]);
  });

  it("another refusal fails that message with its code; a reach-out time lock opens the circuit", async () => {
    const parts = await gateway(config());
    await open(parts);
    const id = await sentRow("3EB0SENT479");
    parts.latest().emit("messages.update", [
      {
        key: { remoteJid: LID, fromMe: true, id: "3EB0SENT479" },
        update: { status: 0, messageStubParameters: ["479"] },
      },
    ]);
    await waitFor(
      async () => (await h.prisma.outbox.findUniqueOrThrow({ where: { id } })).status === "failed",
      5000,
      "failed",
    );
    expect((await h.prisma.outbox.findUniqueOrThrow({ where: { id } })).reason).toBe(
      "whatsapp error 479",
    );
    expect(await parts.circuit.state()).toBeNull();
    parts.latest().emit("connection.update", { reachoutTimeLock: { isActive: true } });
    await waitFor(async () => (await parts.circuit.state()) !== null, 5000, "circuit open");
    expect((await parts.circuit.state())?.reason).toBe("reachoutTimeLock");
  });
});

describe("releasing held WhatsApp messages", () => {
  it("lets held messages go at once, but not those waiting for the morning", async () => {
    const account = await h.account(LID, "whatsapp");
    const [held, night] = await h.commitMessages(account, [
      { text: "tertahan", kind: "proactive" },
      { text: "untuk pagi", kind: "proactive" },
    ]);
    const morning = new Date(Date.now() + 8 * 3_600_000);
    await h.prisma.outbox.update({ where: { id: night!.id }, data: { notBefore: morning } });
    const queue = h.queues.get("send-whatsapp");
    await queue.add("send", { outboxId: held!.id }, { jobId: held!.id, delay: 15 * 60_000 });
    await queue.add("send", { outboxId: night!.id }, { jobId: night!.id, delay: 8 * 3_600_000 });
    expect(await releaseHeld(h.deps)).toBe(1);
    expect(await (await queue.getJob(held!.id))?.isDelayed()).toBe(false);
    expect(await (await queue.getJob(night!.id))?.isDelayed()).toBe(true);
  });
});

describe("WhatsApp sending through the send worker", () => {
  let senders: WorkerSet | undefined;
  afterEach(async () => {
    await senders?.close(5000);
    senders = undefined;
  });

  it("sends on the gateway's socket; while restricted every message waits, then goes after resuming", async () => {
    const parts = await gateway(config());
    await open(parts);
    senders = startSendWorkers({
      deps: h.deps,
      connection: h.redis,
      prefix: h.prefix,
      channels: [{ adapter: parts.adapter, concurrency: 2 }],
    });
    const account = await h.account(LID, "whatsapp");
    const first = await h.commitMessages(account, [{ text: "1. Lowongan\n2. Pelatihan" }]);
    await enqueueOutbox({ ...h.deps, now: new Date() }, first);
    await waitFor(() => parts.latest().sent.length === 1, 10_000, "sent");
    expect(parts.latest().sent[0]).toMatchObject({ jid: LID, text: "1. Lowongan\n2. Pelatihan" });
    expect(parts.latest().presence).toEqual([
      "available",
      `composing ${LID}`,
      `paused ${LID}`,
      "unavailable",
    ]);
    await waitFor(
      async () =>
        (await h.prisma.outbox.findUniqueOrThrow({ where: { id: first[0]!.id } })).externalId ===
        "3EB0FAKE1",
      5000,
      "external id stored",
    );

    // WhatsApp answers a send with a restriction: the circuit opens, staff are alerted.
    parts.latest().failSend = () => ({ output: { statusCode: 463 }, message: "463" });
    const held = await h.commitMessages(account, [{ text: "tertahan" }, { text: "juga" }]);
    await enqueueOutbox({ ...h.deps, now: new Date() }, held);
    await waitFor(async () => (await parts.circuit.state()) !== null, 10_000, "circuit open");
    await waitFor(
      async () => (await alerts()).some((a) => "whatsapp" in a && a.whatsapp === "restricted"),
      5000,
      "restriction alert",
    );
    const pending = await h.prisma.outbox.findMany({
      where: { id: { in: held.map((r) => r.id) } },
    });
    expect(pending.map((r) => r.status)).toEqual(["pending", "pending"]);

    // Staff checked the number and resume: the waiting messages go, in order.
    parts.latest().failSend = undefined;
    await parts.circuit.close();
    await releaseHeld(h.deps); // What "Resume sending" does.
    await waitFor(() => parts.latest().sent.length === 3, 10_000, "sent after resuming");
    expect(parts.latest().sent.map((s) => s.text)).toEqual([
      "1. Lowongan\n2. Pelatihan",
      "tertahan",
      "juga",
    ]);
  });
});
