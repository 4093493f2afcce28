import { afterAll, describe, expect, it } from "vitest";
import { RateLimiter } from "../../../src/channels/rate-limit.ts";
import {
  RESTRICTED_RETRY_MS,
  WhatsAppAdapter,
  type WhatsAppSocket,
} from "../../../src/channels/whatsapp/adapter.ts";
import { SendCircuit } from "../../../src/channels/whatsapp/circuit.ts";
import { createRedis } from "../../../src/jobs/redis.ts";
import { SendError } from "../../../src/lib/errors.ts";
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
      calls.push(`${type} ${jid}`);
    },
  };
  return { socket, calls };
}

function setup(socket: WhatsAppSocket | null, perMinute = 6) {
  const keys = testPrefix();
  prefixes.push(keys);
  const circuit = new SendCircuit(redis, keys.prefix);
  const pauses: number[] = [];
  const adapter = new WhatsAppAdapter(
    () => socket,
    new RateLimiter(redis, keys.prefix),
    circuit,
    { perMinute, jitterMs: [800, 2500] },
    {
      now: () => new Date("2026-12-01T02:00:00Z"),
      sleep: async (ms) => {
        pauses.push(ms);
      },
    },
    () => 0.5,
  );
  return { adapter, circuit, pauses, prefix: keys.prefix };
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
      `composing ${JID}`,
      `send ${JID} Apa yang ingin Anda lakukan?\n1. Lowongan\n2. Pelatihan`,
      `paused ${JID}`,
    ]);
    expect(pauses).toEqual([1650]);
    // Every send takes a slot of the number's per-minute limit, shared through Redis.
    await adapter.send(JID, { text: "dua" });
    expect(await redis.zcard(`${prefix}:whatsapp:number`)).toBe(2);
  });

  it("opens the circuit on a restriction signal, and then sends nothing at all", async () => {
    const restricted = fakeSocket(() => ({ output: { statusCode: 463 }, message: "463" }));
    const { adapter, circuit } = setup(restricted.socket);
    const error = await adapter.send(JID, { text: "halo" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({
      code: "restricted",
      retryable: true,
      retryAfterMs: RESTRICTED_RETRY_MS,
    });
    expect(await circuit.state()).toMatchObject({ reason: "error 463" });

    restricted.calls.length = 0;
    await expect(adapter.send(JID, { text: "lagi" })).rejects.toMatchObject({ code: "restricted" });
    expect(restricted.calls).toEqual([]);
  });

  it("keeps messages waiting while not connected, and retries ordinary failures", async () => {
    const offline = setup(null);
    await expect(offline.adapter.send(JID, { text: "halo" })).rejects.toMatchObject({
      code: "network",
      retryable: true,
    });
    const flaky = fakeSocket(() => new Error("Connection Closed"));
    const { adapter, circuit } = setup(flaky.socket);
    await expect(adapter.send(JID, { text: "halo" })).rejects.toMatchObject({
      code: "network",
      retryable: true,
    });
    expect(await circuit.state()).toBeNull();
  });
});
