import { afterAll, describe, expect, it } from "vitest";
import { RateLimiter } from "../../../src/channels/rate-limit.ts";
import {
  RESTRICTED_RETRY_MS,
  WhatsAppAdapter,
  type WhatsAppLimits,
  type WhatsAppSocket,
} from "../../../src/channels/whatsapp/adapter.ts";
import { SendCircuit } from "../../../src/features/whatsapp/circuit.ts";
import { createRedis } from "../../../src/jobs/redis.ts";
import { ChannelHold } from "../../../src/lib/errors.ts";
import { TEST_REDIS_URL, testPrefix } from "../../helpers/redis.ts";

const redis = createRedis(TEST_REDIS_URL);
const prefixes: ReturnType<typeof testPrefix>[] = [];
afterAll(async () => {
  for (const p of prefixes) await p.cleanup();
  redis.disconnect();
});

const JID = "123456789012345@lid";

/** A socket with Baileys' sending interface that records what it is asked to do. */
function fakeSocket(fail?: () => unknown) {
  const calls: string[] = [];
  let n = 0;
  const socket: WhatsAppSocket = {
    async sendMessage(jid, content) {
      if (fail) throw fail();
      n += 1;
      calls.push(`send ${jid} ${content.text}`);
      return { key: { id: `BAE5${n}` } };
    },
    async sendPresenceUpdate(type, jid) {
      calls.push(jid ? `${type} ${jid}` : type);
    },
  };
  return { socket, calls };
}

function setup(
  socket: WhatsAppSocket | null,
  limits: Partial<WhatsAppLimits> = {},
  slotWaitMs?: number,
) {
  const keys = testPrefix();
  prefixes.push(keys);
  const circuit = new SendCircuit(redis, keys.prefix);
  const pauses: number[] = [];
  const alerts: string[] = [];
  const adapter = new WhatsAppAdapter({
    socket: () => socket,
    limiter: new RateLimiter(redis, keys.prefix),
    circuit,
    limits: {
      perMinute: 6,
      proactivePerMinute: 100,
      proactivePerDay: 100,
      jitterMs: [800, 2500],
      ...limits,
    },
    clock: {
      now: () => new Date("2026-12-01T02:00:00Z"),
      sleep: async (ms: number) => {
        pauses.push(ms);
      },
    },
    onRestricted: async (reason) => {
      alerts.push(reason);
    },
    random: () => 0.5,
    ...(slotWaitMs ? { slotWaitMs } : {}),
  });
  return { adapter, circuit, pauses, alerts, prefix: keys.prefix };
}

describe("WhatsApp sending", () => {
  it("shows typing, pauses a jittered moment, sends the numbered text, and stops typing", async () => {
    const { socket, calls } = fakeSocket();
    const { adapter, pauses, prefix } = setup(socket);
    const result = await adapter.send(JID, {
      text: "Apa yang ingin Anda lakukan?\n1. Lowongan\n2. Pelatihan",
      choices: [
        { id: "jobs", label: "Lowongan" },
        { id: "trainings", label: "Pelatihan" },
      ],
      buttons: true,
    });
    expect(result).toEqual({ externalId: "BAE51" });
    expect(calls).toEqual([
      "available",
      `composing ${JID}`,
      `send ${JID} Apa yang ingin Anda lakukan?\n1. Lowongan\n2. Pelatihan`,
      `paused ${JID}`,
      "unavailable",
    ]);
    expect(pauses).toEqual([1650]);
    // Every send takes a slot of the number's per-minute limit, shared through Redis.
    await adapter.send(JID, { text: "dua" });
    expect(await redis.zcard(`${prefix}:whatsapp:number`)).toBe(2);
  });

  it("opens the circuit on a restriction signal, alerts once, and then sends nothing at all", async () => {
    const restricted = fakeSocket(() => ({ output: { statusCode: 463 }, message: "463" }));
    const { adapter, circuit, alerts, prefix } = setup(restricted.socket);
    const error = await adapter.send(JID, { text: "halo" }).catch((e: unknown) => e);
    // Held, not failed: the message waits for staff to check the number.
    expect(error).toBeInstanceOf(ChannelHold);
    expect(error).toMatchObject({ retryAfterMs: RESTRICTED_RETRY_MS });
    expect(await circuit.state()).toMatchObject({ reason: "error 463" });
    expect(alerts).toEqual(["error 463"]);

    restricted.calls.length = 0;
    await expect(adapter.send(JID, { text: "lagi" })).rejects.toBeInstanceOf(ChannelHold);
    expect(restricted.calls).toEqual([]);
    // Still open after a while, for every process, until staff close it.
    expect(await new SendCircuit(redis, prefix).state()).not.toBeNull();
    expect(alerts).toHaveLength(1);
    await circuit.close();
    await adapter.send(JID, { text: "setelah diperiksa" }).catch(() => undefined);
    expect(restricted.calls).toContain(`composing ${JID}`);
  });

  it("holds proactive messages over the daily cap, and never holds replies for it", async () => {
    const { socket, calls } = fakeSocket();
    const { adapter, prefix } = setup(socket, { proactivePerDay: 2 });
    await adapter.send(JID, { text: "lowongan 1" }, { proactive: true });
    await adapter.send(JID, { text: "lowongan 2" }, { proactive: true });
    const held = await adapter
      .send(JID, { text: "lowongan 3" }, { proactive: true })
      .catch((e: unknown) => e);
    expect(held).toBeInstanceOf(ChannelHold);
    // It waits until the first of the day's messages is 24 hours old.
    expect((held as ChannelHold).retryAfterMs).toBeGreaterThan(86_400_000 - 60_000);
    expect((held as ChannelHold).retryAfterMs).toBeLessThanOrEqual(86_400_000);
    await adapter.send(JID, { text: "balasan" });
    expect(calls.filter((c) => c.startsWith("send"))).toEqual([
      `send ${JID} lowongan 1`,
      `send ${JID} lowongan 2`,
      `send ${JID} balasan`,
    ]);
    expect(await redis.zcard(`${prefix}:whatsapp:proactive`)).toBe(2);
  });

  it("gives the daily slot back when no per-minute slot comes", async () => {
    const { socket } = fakeSocket();
    const { adapter, prefix } = setup(socket, { perMinute: 1 }, 300);
    await adapter.send(JID, { text: "satu" });
    // The minute is full: the next proactive message is held, and its daily slot returned.
    const started = Date.now();
    const held = await adapter
      .send(JID, { text: "dua" }, { proactive: true })
      .catch((e: unknown) => e);
    expect(held).toBeInstanceOf(ChannelHold);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await redis.zcard(`${prefix}:whatsapp:proactive`)).toBe(0);
  });

  it("keeps messages waiting while not connected or when the connection drops under a send", async () => {
    const offline = setup(null);
    await expect(offline.adapter.send(JID, { text: "halo" })).rejects.toBeInstanceOf(ChannelHold);
    for (const dropped of [
      new Error("Connection Closed"),
      Object.assign(new Error("Timed Out"), { output: { statusCode: 408 } }),
    ]) {
      const flaky = fakeSocket(() => dropped);
      const { adapter, circuit, prefix } = setup(flaky.socket);
      await expect(adapter.send(JID, { text: "halo" }, { proactive: true })).rejects.toBeInstanceOf(
        ChannelHold,
      );
      expect(await circuit.state()).toBeNull();
      // Not sent: its place in the day's proactive messages is given back.
      expect(await redis.zcard(`${prefix}:whatsapp:proactive`)).toBe(0);
    }
  });

  it("retries other failures with backoff, as ordinary send errors", async () => {
    const broken = fakeSocket(() => new Error("bad-request"));
    const { adapter } = setup(broken.socket);
    await expect(adapter.send(JID, { text: "halo" })).rejects.toMatchObject({
      code: "network",
      retryable: true,
    });
  });

  it("counts proactive messages against their own lower limit, and replies against the number's", async () => {
    const { socket, calls } = fakeSocket();
    const { adapter, prefix } = setup(socket, { perMinute: 10, proactivePerMinute: 2 }, 300);
    await adapter.send(JID, { text: "pengumuman 1" }, { proactive: true });
    await adapter.send(JID, { text: "pengumuman 2" }, { proactive: true });
    const held = await adapter
      .send(JID, { text: "pengumuman 3" }, { proactive: true })
      .catch((e: unknown) => e);
    expect(held).toBeInstanceOf(ChannelHold);
    for (const text of ["balasan 1", "balasan 2", "balasan 3"]) await adapter.send(JID, { text });
    expect(calls.filter((c) => c.startsWith("send"))).toHaveLength(5);
    // The held message took nothing: two proactive, five in the number's count.
    expect(await redis.zcard(`${prefix}:whatsapp:proactive-minute`)).toBe(2);
    expect(await redis.zcard(`${prefix}:whatsapp:number`)).toBe(5);
    expect(await redis.zcard(`${prefix}:whatsapp:proactive`)).toBe(2);
  });

  it("keeps one send a minute free for replies: proactive messages never take the last", async () => {
    const { socket, calls } = fakeSocket();
    const { adapter } = setup(socket, { perMinute: 3 }, 300);
    await adapter.send(JID, { text: "pengumuman 1" }, { proactive: true });
    await adapter.send(JID, { text: "pengumuman 2" }, { proactive: true });
    const started = Date.now();
    // The third proactive message does not wait for a slot: it is held at once.
    await expect(
      adapter.send(JID, { text: "pengumuman 3" }, { proactive: true }),
    ).rejects.toBeInstanceOf(ChannelHold);
    expect(Date.now() - started).toBeLessThan(1000);
    // A reply to someone who just wrote still goes.
    await adapter.send(JID, { text: "balasan" });
    expect(
      calls.filter((c) => c.startsWith("send")).map((c) => c.split(" ").slice(2).join(" ")),
    ).toEqual(["pengumuman 1", "pengumuman 2", "balasan"]);
  });
});
