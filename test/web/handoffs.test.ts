import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebServer } from "../../src/web/server.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { staffTokens } from "../helpers/staff.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;
const tokens: Record<string, string> = {};
const REGISTER = [
  "halo",
  "1",
  "ya",
  "Sari",
  "makassar",
  "tidak",
  "SMA",
  "lewati",
  "lewati",
  "apa saja",
  "1",
  "6",
  "1",
  "lewati",
  "ya",
];

beforeAll(async () => {
  h = await createHarness();
  await h.startWorkers();
  app = createWebServer({ prisma: h.prisma, redis: h.redis, queues: h.queues, log: h.deps.log });
  Object.assign(tokens, await staffTokens(h.prisma));
  // Sari registers in Makassar, then asks for a person and writes to them.
  await h.chat(
    "sari",
    ...REGISTER,
    "petugas",
    "Saya tidak bisa datang ke kantor",
    "Bisa lewat telepon?",
  );
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const get = (url: string, token?: string) =>
  app.inject({ method: "GET", url, headers: token ? { authorization: `Bearer ${token}` } : {} });
const post = (url: string, body: unknown, token?: string) =>
  app.inject({
    method: "POST",
    url,
    payload: body as object,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe("handoffs API", () => {
  it.each([
    ["no token", undefined],
    ["an unknown token", "ijc_notarealtoken"],
    ["a revoked token", "revoked"],
  ])("answers 401 with %s", async (_, key) => {
    const res = await get("/api/v1/handoffs", key ? (tokens[key] ?? key) : undefined);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("unauthorized");
    expect(res.headers["www-authenticate"]).toBe("Bearer");
  });

  it("lists open handoffs with the person's messages since the request, and audits the view", async () => {
    const res = await get("/api/v1/handoffs?status=open", tokens.all);
    expect(res.statusCode).toBe(200);
    const { items, nextCursor } = res.json();
    expect(nextCursor).toBeNull();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      status: "open",
      channel: "console",
      person: { name: "Sari", city: "7371" },
    });
    expect(items[0].messages.map((m: { text: string }) => m.text)).toEqual([
      "petugas",
      "Saya tidak bisa datang ke kantor",
      "Bisa lewat telepon?",
    ]);
    const log = await h.prisma.auditLog.findFirstOrThrow({ where: { action: "handoffs.list" } });
    expect(log.details).toEqual({ status: "open", count: 1 });
  });

  it("shows a city-scoped token only its cities", async () => {
    expect((await get("/api/v1/handoffs", tokens.makassar)).json().items).toHaveLength(1);
    expect((await get("/api/v1/handoffs", tokens.bandung)).json().items).toHaveLength(0);
    const id = (await get("/api/v1/handoffs", tokens.all)).json().items[0].id;
    const res = await post(`/api/v1/handoffs/${id}/close`, {}, tokens.bandung);
    expect(res.statusCode).toBe(404);
  });

  it("rejects bad input with a clear 400", async () => {
    expect((await get("/api/v1/handoffs?status=maybe", tokens.all)).json().error.code).toBe(
      "validation_failed",
    );
    expect((await get("/api/v1/handoffs?limit=501", tokens.all)).statusCode).toBe(400);
    const notUuid = await post("/api/v1/handoffs/abc/reply", { text: "hi" }, tokens.all);
    expect(notUuid.statusCode).toBe(400);
    expect(notUuid.json().error.message).toContain("id must be a UUID");
    const id = (await get("/api/v1/handoffs", tokens.all)).json().items[0].id;
    const empty = await post(`/api/v1/handoffs/${id}/reply`, { text: "   " }, tokens.all);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain("text must not be empty");
    const nul = await post(`/api/v1/handoffs/${id}/reply`, { text: "\u0000" }, tokens.all);
    expect(nul.statusCode).toBe(400);
  });

  it("delivers a staff reply through the person's channel", async () => {
    const id = (await get("/api/v1/handoffs", tokens.makassar)).json().items[0].id;
    const res = await post(
      `/api/v1/handoffs/${id}/reply`,
      { text: "Bisa, kami telepon besok jam 10." },
      tokens.makassar,
    );
    expect(res.statusCode).toBe(202);
    const { outboxId } = res.json();
    await expect
      .poll(
        async () => (await h.prisma.outbox.findUniqueOrThrow({ where: { id: outboxId } })).status,
        { timeout: 10_000 },
      )
      .toBe("sent");
    expect(h.channel.textsTo("sari").at(-1)).toBe("Bisa, kami telepon besok jam 10.");
    expect(await h.prisma.auditLog.count({ where: { action: "handoffs.reply", target: id } })).toBe(
      1,
    );
  });

  it("closes a handoff, clears the kept messages, and refuses to close it twice", async () => {
    const id = (await get("/api/v1/handoffs", tokens.all)).json().items[0].id;
    expect((await post(`/api/v1/handoffs/${id}/close`, {}, tokens.all)).statusCode).toBe(200);
    expect((await get("/api/v1/handoffs", tokens.all)).json().items).toHaveLength(0);
    const closed = (await get("/api/v1/handoffs?status=closed", tokens.all)).json().items;
    expect(closed).toHaveLength(1);
    expect(closed[0].messages).toEqual([]);
    const again = await post(`/api/v1/handoffs/${id}/close`, {}, tokens.all);
    expect(again.statusCode).toBe(409);
    // The person's next message is no longer kept for staff.
    await h.chat("sari", "menu");
    const withText = await h.prisma.$queryRaw<
      { n: bigint }[]
    >`SELECT COUNT(*) AS n FROM "InboundMessage" WHERE payload IS NOT NULL`;
    expect(Number(withText[0]!.n)).toBe(0);
  });
});
