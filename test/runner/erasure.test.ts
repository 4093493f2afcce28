/**
 * "hapus data" on each channel: once the goodbye is sent, nothing in the
 * database links the anonymous remainder to the person's chat id, WhatsApp
 * JID or LID, phone number or name, not even WhatsApp's own session rows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Channel } from "../../src/generated/prisma/client.ts";
import { REGISTRATION_SCRIPT } from "../fixtures/registration.ts";
import { FakeChannel, waitFor } from "../helpers/fake-channel.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

let h: Harness;
const telegram = new FakeChannel("telegram");
const whatsapp = new FakeChannel("whatsapp");

beforeAll(async () => {
  h = await createHarness();
  await h.startWorkers({
    channels: [{ adapter: h.channel }, { adapter: telegram }, { adapter: whatsapp }],
  });
});
afterAll(async () => {
  await h?.close();
});

/** Every row of every table of the app, as JSON text (bytea as hex). */
async function dumpDatabase(): Promise<string> {
  const tables = await h.db.sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = await h.db.sql.query<{ row: string }>(
      `SELECT row_to_json(t)::text AS row FROM "${name}" t`,
    );
    parts.push(`${name}: ${rows.map((r) => r.row).join("\n")}`);
  }
  return parts.join("\n");
}

const NAME = "Ani Lestari";
/** The number typed at registration (08123456789), as stored. */
const TYPED_PHONE = "8123456789";

async function registerThenDelete(
  channel: Channel,
  user: string,
  opts: { messageId?: (n: number) => string; phone?: string },
) {
  await h.chatOn(channel, user, REGISTRATION_SCRIPT, opts);
  const account = await h.prisma.channelAccount.findUniqueOrThrow({
    where: { channel_externalId: { channel, externalId: user } },
  });
  return {
    personId: account.personId,
    erase: async () => {
      // "ya" is answered by the goodbye, after which the address goes: wait for that.
      await h.chatOn(channel, user, ["hapus data"], opts);
      await h.chatOn(channel, user, ["ya"], opts).catch(() => undefined);
      await waitFor(
        async () =>
          (await h.prisma.channelAccount.count({ where: { personId: account.personId } })) === 0,
        30_000,
        "the address forgotten after the goodbye",
      );
      const person = await h.prisma.person.findUniqueOrThrow({ where: { id: account.personId } });
      expect(person.status).toBe("deleted");
    },
  };
}

describe("after 'hapus data'", () => {
  it("nothing links the remainder to a Telegram chat", async () => {
    const chatId = "700123456";
    const seeker = await registerThenDelete("telegram", chatId, {
      messageId: (n) => `${chatId}:${n}`,
    });
    const before = await dumpDatabase();
    for (const needle of [chatId, NAME, TYPED_PHONE]) expect(before).toContain(needle);
    await seeker.erase();
    expect(telegram.textsTo(chatId).at(-1)).toContain("Semua data Anda sudah dihapus");
    const after = await dumpDatabase();
    for (const needle of [chatId, NAME, TYPED_PHONE]) expect(after).not.toContain(needle);
    expect(after).toContain(seeker.personId); // the anonymous count stays
  });

  it("nothing links the remainder to a WhatsApp number or LID, Baileys' rows included", async () => {
    const lid = "98765432101234@lid";
    const waPhone = "+628123450001";
    const seeker = await registerThenDelete("whatsapp", lid, {
      messageId: (n) => `${lid}:3EB0${n}`,
      phone: waPhone,
    });
    // What Baileys stores about this contact (ids in clear, values sealed), and about others.
    const row = (type: string, id: string) => ({
      session: "default",
      type,
      id,
      value: Buffer.from("sealed"),
    });
    await h.prisma.whatsAppAuth.createMany({
      data: [
        row("session", "98765432101234_1.0"),
        row("session", "628123450001.0"),
        row("identity-key", "98765432101234_1.0"),
        row("lid-mapping", "628123450001"),
        row("lid-mapping", "98765432101234_reverse"),
        row("device-list", "98765432101234"),
        row("tctoken", "98765432101234@lid"),
        row("creds", ""),
        row("session", "628999000111.0"),
        row("lid-mapping", "628999000111"),
        row("pre-key", "17"),
      ],
    });
    const before = await dumpDatabase();
    for (const needle of ["98765432101234", "628123450001", NAME]) expect(before).toContain(needle);
    await seeker.erase();
    expect(whatsapp.textsTo(lid).at(-1)).toContain("Semua data Anda sudah dihapus");
    const after = await dumpDatabase();
    for (const needle of ["98765432101234", "628123450001", NAME, TYPED_PHONE])
      expect(after).not.toContain(needle);
    // Other contacts' sessions and the service's own credentials are untouched.
    const left = await h.prisma.whatsAppAuth.findMany({
      orderBy: [{ type: "asc" }, { id: "asc" }],
    });
    expect(left.map((r) => `${r.type}/${r.id}`)).toEqual([
      "creds/",
      "lid-mapping/628999000111",
      "pre-key/17",
      "session/628999000111.0",
    ]);
  });

  it("nothing links the remainder to a console user", async () => {
    const user = "console-user-4711";
    const seeker = await registerThenDelete("console", user, {});
    await seeker.erase();
    const after = await dumpDatabase();
    for (const needle of [user, NAME, TYPED_PHONE]) {
      const at = after.indexOf(needle);
      expect(at, after.slice(Math.max(0, at - 400), at + 100)).toBe(-1);
    }
  });
});
