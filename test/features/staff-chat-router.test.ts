/**
 * Which private messages are staff commands, decided behind the channel:
 * a job seeker's ordinary message costs no staff lookup (the linked staff
 * are kept in memory); a staff command is always looked up fresh, so a
 * member linked a moment ago is answered, and their guided steps follow.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatSender } from "../../src/domain/channel-ports.ts";
import { createStaffUser, linkTelegram } from "../../src/features/staff/accounts.ts";
import { StaffChatRouter } from "../../src/features/staff/chat-router.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

let h: Harness;
let lookups = 0;
let router: StaffChatRouter;
let messageId = 1;

beforeAll(async () => {
  h = await createHarness();
  const staffUser = new Proxy(h.prisma.staffUser, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        lookups += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const prisma = new Proxy(h.prisma, {
    get: (target, key) => (key === "staffUser" ? staffUser : Reflect.get(target, key)),
  });
  router = new StaffChatRouter({ ...h.deps, prisma }, 60_000);
});
afterAll(async () => {
  await h.close();
});

const from = (userId: string): ChatSender => ({
  userId,
  messageId: String(messageId++),
  language: "id",
});

describe("staff commands in private chats", () => {
  it("cost a job seeker's message no lookup, and answer a member linked since", async () => {
    expect(await router.private("111", from("111"), "halo")).toBeNull();
    const afterFirst = lookups; // The linked staff, read once.
    expect(await router.private("111", from("111"), "1")).toBeNull();
    expect(await router.private("222", from("222"), "Makassar")).toBeNull();
    expect(lookups).toBe(afterFirst);
    // Help stays the job seekers'.
    expect(await router.private("111", from("111"), "/help")).toBeNull();
    expect(lookups).toBe(afterFirst);

    const user = await createStaffUser(h.prisma, {
      email: "andi@pki.makassar.go.id",
      name: "Andi",
      role: "staff",
      cities: ["7371"],
      password: "correct horse battery staple",
    });
    await linkTelegram(h.prisma, user.email, "333");
    // Linked after the list was read: a command is looked up fresh, and the guided step follows.
    expect(await router.private("333", from("333"), "/broadcast")).toEqual([
      expect.stringContaining("Tulis pengumuman"),
    ]);
    expect(await router.private("333", from("333"), "Kantor tutup besok.")).toEqual([
      expect.stringContaining("Bahasa Inggris"),
    ]);
    expect(await router.private("333", from("333"), "/batal")).toEqual([
      "Dibatalkan. Tidak ada yang dikirim.",
    ]);
    // Nothing to continue: plain text is a job seeker's message again.
    expect(await router.private("333", from("333"), "terima kasih")).toBeNull();
    // A stranger's staff command is looked up, and is theirs as a job seeker.
    expect(await router.private("111", from("111"), "/broadcast")).toBeNull();
  });
});
