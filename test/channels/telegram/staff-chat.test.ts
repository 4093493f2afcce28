/**
 * Staff commands in Telegram through the real gateway and grammY client
 * against the local fake Bot API: a linked staff member broadcasts (guided),
 * reads the numbers and answers handoffs; nobody else can.
 */
import { Api } from "grammy";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { telegramPort } from "../../../src/boot.ts";
import { TelegramGateway } from "../../../src/channels/telegram/gateway.ts";
import { createStaffUser, linkTelegram } from "../../../src/features/staff/accounts.ts";
import { waitFor } from "../../helpers/fake-channel.ts";
import { type FakeTelegram, startFakeTelegram } from "../../helpers/fake-telegram.ts";
import { createHarness, type Harness } from "../../helpers/harness.ts";
import { createSeeker } from "../../helpers/seekers.ts";
import { groupTextUpdate, textUpdate } from "../../helpers/telegram-updates.ts";

let h: Harness;
let tg: FakeTelegram;
let gateway: TelegramGateway;
let staffId: string;
const STAFF_GROUP = -777;
/** A Makassar staff member's Telegram account (private chat id = user id). */
const PETUGAS = 424242;
const STRANGER = 515151;
let updateId = 1;

beforeAll(async () => {
  h = await createHarness();
  tg = await startFakeTelegram();
  const api = new Api(tg.token, { apiRoot: tg.apiRoot });
  gateway = new TelegramGateway(api, telegramPort(h.deps), h.deps.log, String(STAFF_GROUP));
  const user = await createStaffUser(h.prisma, {
    email: "rina@pki.makassar.go.id",
    name: "Rina",
    role: "staff",
    cities: ["7371"],
    password: "correct horse battery staple",
  });
  staffId = user.id;
  await linkTelegram(h.prisma, user.email, String(PETUGAS));
  await createSeeker(h.prisma, {
    externalId: "tuli-mks",
    profile: { disabilityCategories: ["rungu"] },
  });
  await createSeeker(h.prisma, {
    externalId: "tuli-en",
    language: "en",
    profile: { disabilityCategories: ["rungu"] },
  });
  await createSeeker(h.prisma, {
    externalId: "netra-mks",
    profile: { disabilityCategories: ["netra"] },
  });
  await createSeeker(h.prisma, {
    externalId: "tuli-bdg",
    profile: { cityCode: "3273", disabilityCategories: ["rungu"] },
  });
  await h.startWorkers({ broadcast: { quiet: { start: 0, end: 0 } } });
});
afterAll(async () => {
  await tg.close();
  await h.close();
});

/** Hands one update to the gateway; answers what the bot wrote to `chat` meanwhile. */
async function send(update: object, chat: number): Promise<string[]> {
  const before = tg.sentTexts(chat).length;
  await gateway.handleUpdate({ update_id: updateId++, ...update } as Update);
  return tg.sentTexts(chat).slice(before);
}
const privately = (text: string, from = PETUGAS) => send(textUpdate(from, text), from);
/** In the staff group; `replyTo` is a message of the bot's (or a colleague's) replied to. */
const inGroup = (
  text: string,
  from = PETUGAS,
  replyTo?: { text: string; byBot: boolean },
  messageId?: number,
) => {
  const update = groupTextUpdate(STAFF_GROUP, text, {
    fromId: from,
    ...(messageId ? { messageId } : {}),
  });
  if (replyTo) {
    (update.message as { reply_to_message?: object }).reply_to_message = {
      message_id: 1,
      date: 0,
      chat: update.message!.chat,
      from: replyTo.byBot
        ? { id: 100, is_bot: true, first_name: "IJC Bot" }
        : { id: 999, is_bot: false, first_name: "Budi" },
      text: replyTo.text,
    };
  }
  return send(update, STAFF_GROUP);
};

describe("Telegram staff commands", () => {
  it("guide a linked staff member through a broadcast, within their cities", async () => {
    expect(await privately("/broadcast")).toEqual([
      expect.stringContaining("Tulis pengumuman dalam Bahasa Indonesia"),
    ]);
    expect(await privately("Pelatihan bahasa isyarat gratis, Senin 09.00 di kantor kami.")).toEqual(
      [expect.stringContaining("Bahasa Inggris")],
    );
    expect(await privately("Free sign language course, Monday 09.00 at our office.")).toEqual([
      expect.stringContaining("Untuk siapa pengumuman ini?"),
    ]);
    expect(await privately("kota Sebelah")).toEqual([
      expect.stringContaining('tidak saya pahami: "kota Sebelah"'),
    ]);
    // Bandung is not one of Rina's cities.
    expect(await privately("kota Bandung")).toEqual([
      expect.stringContaining("Anda tidak dapat mengirim ke kota itu"),
    ]);
    expect(await privately("ragam tuli")).toEqual([
      expect.stringContaining("Pengumuman akan dikirim ke 2 orang."),
    ]);
    expect(await privately("mungkin")).toEqual([
      expect.stringContaining("Ketik ya untuk mengirim"),
    ]);
    const [sent] = await privately("ya");
    expect(sent).toMatch(/Pengumuman nomor \d+ sedang dikirim ke 2 orang/);

    await waitFor(() => h.channel.sent.length === 2, 15_000, "the broadcast to reach both");
    expect(h.channel.textsTo("tuli-mks")).toEqual([
      expect.stringContaining("Pelatihan bahasa isyarat gratis"),
    ]);
    expect(h.channel.textsTo("tuli-en")).toEqual([
      expect.stringContaining("Free sign language course"),
    ]);
    const broadcast = await h.prisma.broadcast.findFirstOrThrow();
    expect(broadcast).toMatchObject({
      createdBy: `staff:${staffId}`,
      scope: ["7371"],
      segment: { categories: ["rungu"] },
    });
    // The guided step is over: plain text is not taken as a new broadcast.
    expect(await privately("terima kasih")).toEqual([]);
  });

  it("keep a guided broadcast in the chat it was started in", async () => {
    await privately("/broadcast");
    await privately("Kantor tutup besok.");
    await privately("-");
    await privately("semua");
    // "ya" in the staff group is not the answer to the private chat's question.
    expect(await inGroup("ya")).toEqual([]);
    expect(await h.prisma.broadcast.count()).toBe(1);
    expect(await privately("/batal")).toEqual(["Dibatalkan. Tidak ada yang dikirim."]);
  });

  it("stop a guided broadcast on /batal or no, and send nothing", async () => {
    const sentBefore = h.channel.sent.length;
    await privately("/broadcast");
    await privately("Kantor tutup besok.");
    expect(await privately("/batal")).toEqual(["Dibatalkan. Tidak ada yang dikirim."]);
    await inGroup("/broadcast");
    await inGroup("Kantor tutup besok.");
    await inGroup("-");
    await inGroup("semua");
    expect(await inGroup("tidak")).toEqual(["Dibatalkan. Tidak ada yang dikirim."]);
    expect(await h.prisma.broadcast.count()).toBe(1);
    expect(h.channel.sent.length).toBe(sentBefore);
  });

  it("give the numbers of the staff member's cities, and list, answer and close handoffs", async () => {
    const [stats] = await inGroup("/stats");
    expect(stats).toContain("Pencari kerja terdaftar: 3");
    expect(stats).toContain("Menunggu petugas: 0");

    const seeker = await h.prisma.channelAccount.findFirstOrThrow({
      where: { externalId: "netra-mks" },
    });
    const handoff = await h.prisma.handoff.create({
      data: { personId: seeker.personId, channel: "console" },
    });
    const short = handoff.id.slice(0, 8);
    const [list] = await inGroup("/handoffs");
    expect(list).toContain(`${short} (console,`);

    // A reply to a colleague who named the handoff is talk among staff: nothing is sent.
    expect(
      await inGroup("oke, makasih", PETUGAS, {
        text: `saya ambil (nomor ${short}, lewat console)`,
        byBot: false,
      }),
    ).toEqual([]);
    // Replying to the bot's notice in the staff group answers the person.
    const notice = `Permintaan baru untuk bicara dengan petugas (nomor ${short}, lewat console).`;
    expect(
      await inGroup("Halo Bu, kami telepon besok pagi.", PETUGAS, { text: notice, byBot: true }),
    ).toEqual([`Balasan untuk nomor ${short} sedang dikirim.`]);
    // Telegram delivering the same update again does not send it twice.
    const again = groupTextUpdate(STAFF_GROUP, "/stats", { fromId: PETUGAS });
    expect(await send(again, STAFF_GROUP)).toHaveLength(1);
    expect(await send(again, STAFF_GROUP)).toEqual([]);
    await waitFor(() => h.channel.textsTo("netra-mks").length === 1, 10_000, "the staff reply");
    expect(h.channel.textsTo("netra-mks")).toEqual(["Halo Bu, kami telepon besok pagi."]);
    expect(await privately(`/close ${short}`)).toEqual([`Permintaan nomor ${short} ditutup.`]);
    expect(await privately(`/reply ${short} lagi`)).toEqual([
      `Permintaan nomor ${short} tidak ada di kota Anda, atau sudah ditutup.`,
    ]);
    const actions = await h.prisma.auditLog.findMany({
      where: { target: handoff.id },
      orderBy: { createdAt: "asc" },
    });
    expect(actions.map((a) => [a.actor, a.action])).toEqual([
      [`staff:${staffId}`, "handoffs.reply"],
      [`staff:${staffId}`, "handoffs.close"],
    ]);
  });

  it("answer nobody else: strangers in the group are told to get linked, privately they are job seekers", async () => {
    expect(await inGroup("/stats", STRANGER)).toEqual([
      expect.stringContaining("belum terhubung ke akun petugas"),
    ]);
    expect(await inGroup("selamat pagi semua", STRANGER)).toEqual([]);
    // In a private chat the command is an ordinary message to the job seekers' service.
    await privately("/broadcast", STRANGER);
    const account = await h.prisma.channelAccount.findFirstOrThrow({
      where: { channel: "telegram", externalId: String(STRANGER) },
    });
    const stored = await h.prisma.inboundMessage.findMany({
      where: { channelAccountId: account.id },
    });
    expect(stored.map((m) => (m.payload as { text: string }).text)).toEqual(["/broadcast"]);
    expect(await h.prisma.broadcast.count()).toBe(1);

    // A disabled staff account loses the commands at once.
    await h.prisma.staffUser.update({ where: { id: staffId }, data: { disabledAt: new Date() } });
    expect(await inGroup("/stats")).toEqual([expect.stringContaining("belum terhubung")]);
  });
});
