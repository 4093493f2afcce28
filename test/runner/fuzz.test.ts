/**
 * Odd inputs through the whole path (receive → queue → runner → database →
 * send), not only the pure engine: each is stored, answered, and nothing fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receive } from "../../src/runner/receive.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.startWorkers({ inboundConcurrency: 8 });
});
afterAll(async () => {
  await h.close();
});

const ODD = [
  "halo",
  "1",
  "ya",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff x",
  "🧑🏽‍🦽".repeat(50),
  "مرحبا",
  "\u202Eabc",
  "x".repeat(10_000),
  "",
  " ",
  '\'; DROP TABLE "Person"; --',
  "{{service}}",
  "hapus data",
  "petugas",
  "berhenti",
  "bahasa",
  "2",
];
const MEDIA = ["voice", "sticker", "image", "location"];

describe("whole-path fuzz", () => {
  it("stores, processes and answers 240 odd messages from 8 people", async () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const ids: string[] = [];
    for (let i = 0; i < 240; i++) {
      const media = next() < 0.1 ? MEDIA[Math.floor(next() * MEDIA.length)] : undefined;
      const stored = await receive(h.deps, {
        channel: "console",
        externalUserId: `fuzz-${i % 8}`,
        externalMessageId: `fuzz-${i}`,
        text: media ? "" : ODD[Math.floor(next() * ODD.length)]!,
        ...(media ? { media: media as "voice" } : {}),
        receivedAt: new Date(),
      });
      ids.push(stored.inboundId);
    }
    await waitFor(
      async () =>
        (await h.prisma.inboundMessage.count({
          where: { id: { in: ids }, status: "received" },
        })) === 0,
      60_000,
      "all processed",
    );
    await waitFor(
      async () => (await h.prisma.outbox.count({ where: { status: "pending" } })) === 0,
      60_000,
      "all sent",
    );
    expect(await h.prisma.outbox.count({ where: { status: { in: ["failed", "skipped"] } } })).toBe(
      0,
    );
    // Every message still on record was answered. (After "hapus data" the earlier ones are gone,
    // and the answer to the last one went with the address once it was sent.)
    const kept = await h.prisma.inboundMessage.findMany({
      where: { id: { in: ids }, person: { status: { not: "deleted" } } },
      select: { id: true },
    });
    expect(kept.length).toBeGreaterThan(50);
    for (const { id } of kept) {
      expect(await h.prisma.outbox.count({ where: { inboundId: id } }), id).toBeGreaterThan(0);
    }
  });
});
