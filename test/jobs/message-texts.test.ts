/**
 * Outgoing messages keep their text only while delivery may need it: the
 * retention job clears settled rows after MESSAGE_TEXT_DAYS, and a withdrawn
 * disability consent clears the person's delivered texts at once. Afterwards
 * no message text in the whole database names the person or their phone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearMessageTexts } from "../../src/jobs/workers/retention.ts";
import { REGISTRATION_SCRIPT } from "../fixtures/registration.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.startWorkers();
});
afterAll(async () => {
  await h?.close();
});

const DAY = 86_400_000;
const NAME = "Ani Lestari";
const PHONE = "8123456789";

/** Every row of every table of the app, as JSON text, by table. */
async function dumpDatabase(): Promise<Map<string, string>> {
  const tables = await h.db.sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
  );
  const dump = new Map<string, string>();
  for (const { name } of tables) {
    const rows = await h.db.sql.query<{ row: string }>(
      `SELECT row_to_json(t)::text AS row FROM "${name}" t`,
    );
    dump.set(name, rows.map((r) => r.row).join("\n"));
  }
  return dump;
}

const tablesNaming = (dump: Map<string, string>, needle: string) =>
  [...dump].filter(([, rows]) => rows.includes(needle)).map(([name]) => name);

/** All replies settled (sent), so the retention job may consider them. */
const settled = () =>
  waitFor(
    async () => (await h.prisma.outbox.count({ where: { status: "pending" } })) === 0,
    30_000,
    "replies marked sent",
  );

describe("message texts", () => {
  it("are cleared once settled longer than the set days, and then no message names the person", async () => {
    const replies = await h.chat("ani", ...REGISTRATION_SCRIPT, "data saya");
    expect(replies.at(-1)!.join("\n")).toContain(NAME);
    await settled();
    const before = await dumpDatabase();
    expect(tablesNaming(before, NAME)).toContain("Outbox");
    expect(tablesNaming(before, PHONE)).toContain("Outbox");

    const now = new Date();
    // Within the days delivery may need them: kept.
    expect(
      await clearMessageTexts(h.db.sql, { days: 7, now: new Date(now.getTime() + 6 * DAY) }),
    ).toEqual({ cleared: 0, conversations: 0 });
    const sent = await h.prisma.outbox.count();
    const result = await clearMessageTexts(h.db.sql, {
      days: 7,
      now: new Date(now.getTime() + 8 * DAY),
    });
    // Every reply, and the replies kept for "ulangi".
    expect(result).toEqual({ cleared: sent, conversations: 1 });

    const after = await dumpDatabase();
    // The profile keeps what the person registered (they did not ask to delete it) ...
    expect(tablesNaming(after, NAME)).toEqual(["SeekerProfile"]);
    expect(tablesNaming(after, PHONE).sort()).toEqual(
      ["ChannelAccount", "SeekerProfile"].filter((t) => before.get(t)?.includes(PHONE)),
    );
    // ... and no message text anywhere names them.
    const outbox = await h.prisma.outbox.findMany({
      select: { payload: true, status: true, sentAt: true },
    });
    expect(
      outbox.every((o) => JSON.stringify(o.payload) === "{}" && o.status === "sent" && o.sentAt),
    ).toBe(true);
    // A second run has nothing left to do.
    expect(
      await clearMessageTexts(h.db.sql, { days: 7, now: new Date(now.getTime() + 9 * DAY) }),
    ).toEqual({ cleared: 0, conversations: 0 });
    // "ulangi" after that shows the current step afresh (here "my data", from the profile).
    const [repeat] = await h.chat("ani", "ulangi");
    expect(repeat!.join("\n")).toContain("Data Anda yang kami simpan");
  });

  it("keeps pending messages whole, however old", async () => {
    const person = await h.prisma.person.findFirstOrThrow({ include: { channels: true } });
    const row = await h.prisma.outbox.create({
      data: {
        personId: person.id,
        channelAccountId: person.channels[0]!.id,
        channel: "console",
        kind: "proactive",
        payload: { text: "Pengumuman untuk Ani Lestari" },
        createdAt: new Date(Date.now() - 30 * DAY),
        notBefore: new Date(Date.now() + DAY),
      },
    });
    await clearMessageTexts(h.db.sql, { days: 7, now: new Date() });
    const kept = await h.prisma.outbox.findUniqueOrThrow({ where: { id: row.id } });
    expect(kept.payload).toEqual({ text: "Pengumuman untuk Ani Lestari" });
    await h.prisma.outbox.delete({ where: { id: row.id } });
  });

  it("of a person who withdraws their disability consent are cleared at once", async () => {
    await h.chat("budi", ...REGISTRATION_SCRIPT);
    await settled();
    const budi = await h.prisma.channelAccount.findFirstOrThrow({
      where: { externalId: "budi" },
      select: { personId: true },
    });
    const texts = async () =>
      (
        await h.prisma.outbox.findMany({
          where: { personId: budi.personId },
          orderBy: { seq: "asc" },
        })
      ).map((o) => JSON.stringify(o.payload));
    // The registration summary named the disability categories.
    expect((await texts()).some((t) => t.includes("Tuli"))).toBe(true);
    const delivered = (await texts()).length;

    // "my data" → change → disability categories → "I prefer not to say" (withdraws the consent).
    const [, , , saved] = await h.chat("budi", "data saya", "1", "3", "7");
    expect(saved!.join("\n")).not.toContain("Tuli");
    const now = await texts();
    expect(now.slice(0, delivered).every((t) => t === "{}")).toBe(true);
    expect(now.some((t) => t.includes("Tuli"))).toBe(false);
    const consent = await h.prisma.consentRecord.findFirstOrThrow({
      where: { personId: budi.personId, purpose: "disability" },
      orderBy: { createdAt: "desc" },
    });
    expect(consent.granted).toBe(false);
  });
});
