/**
 * A vacancy's console page shows what the vacancy says (skills, accommodations,
 * wage) and, every time staff look at it, what in its text may discriminate:
 * job seekers read that text, so a warning shown only at creation is not enough.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUE_NAMES } from "../../src/domain/queues.ts";
import { translator } from "../../src/lib/i18n.ts";
import { createWebServer } from "../../src/web/server.ts";
import { consoleSession } from "../helpers/console.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { createSeeker } from "../helpers/seekers.ts";
import { publishedVacancy } from "../helpers/vacancies.ts";

let h: Harness;
let app: ReturnType<typeof createWebServer>;

beforeAll(async () => {
  h = await createHarness();
  app = createWebServer({ prisma: h.prisma, redis: h.redis, queues: h.queues, log: h.deps.log });
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const page = async (id: string) => {
  const { cookie } = await consoleSession(h.prisma, { role: "staff", cities: ["7371"] });
  const res = await app.inject({
    method: "GET",
    url: `/console/vacancies/${id}`,
    headers: { cookie },
  });
  expect(res.statusCode).toBe(200);
  return res.body;
};

describe("a vacancy's console page", () => {
  it("warns about a discriminatory requirement of a published vacancy, not only at creation", async () => {
    const { vacancy } = await publishedVacancy(h.deps, {
      description: "Syarat: sehat jasmani dan rohani, usia maksimal 30 tahun.",
      wage: "Rp 3.500.000 per bulan",
    });
    const body = await page(vacancy.id);
    expect(body).toContain("Periksa syarat ini");
    expect(body).toContain("“sehat jasmani dan rohani”");
    expect(body).toContain("Batas usia perlu alasan dari pekerjaannya");
    expect(body).toContain("Microsoft Excel");
    expect(body).toContain("Pembaca layar");
    expect(body).toContain("Rp 3.500.000 per bulan");
  });

  it("shows no warning for a vacancy without one, and says what was not given", async () => {
    const { vacancy } = await publishedVacancy(h.deps, {
      title: "Penjahit",
      skills: [],
      accommodations: [],
    });
    const body = await page(vacancy.id);
    expect(body).not.toContain("Periksa syarat ini");
    expect(body).toContain("<dt>Gaji</dt><dd>Tidak disebutkan</dd>");
    expect(body).toContain("<dt>Keahlian</dt><dd>Tidak disebutkan</dd>");
  });
});

describe("names, not codes", () => {
  it("a seeker's page names the language and the channel", async () => {
    const seeker = await createSeeker(h.prisma, { channel: "whatsapp", language: "en" });
    const { cookie } = await consoleSession(h.prisma, { role: "staff", cities: ["7371"] });
    const res = await app.inject({
      method: "GET",
      url: `/console/seekers/${seeker.personId}`,
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("<dt>Bahasa</dt><dd>Bahasa Inggris</dd>");
    expect(res.body).toMatch(/<dt>Saluran<\/dt><dd>WhatsApp<\/dd>/);
  });

  it("the overview names the queues by what they do, in both languages", async () => {
    for (const lang of ["id", "en"]) {
      const t = translator(lang, "console");
      for (const name of QUEUE_NAMES) {
        expect(t(`queueName.${name}`, { defaultValue: "" }), `${lang} ${name}`).not.toBe("");
      }
    }
    const { cookie } = await consoleSession(h.prisma, { role: "admin" });
    const res = await app.inject({ method: "GET", url: "/console", headers: { cookie } });
    expect(res.body).toContain('<th scope="row">Pesan masuk</th>');
    expect(res.body).not.toContain('<th scope="row">inbound</th>');
  });

  it("names time zones the same way in both languages: WITA, not GMT+8", async () => {
    const { vacancy } = await publishedVacancy(h.deps, { title: "Kasir", deadline: "2027-06-30" });
    const { cookie } = await consoleSession(h.prisma, { role: "staff", cities: ["7371"] });
    for (const [lang, deadline] of [
      ["id", "Rabu, 30 Juni 2027 pukul 23.59 WITA"],
      ["en", "Wednesday, 30 June 2027 at 23:59 WITA"],
    ]) {
      const res = await app.inject({
        method: "GET",
        url: `/console/vacancies/${vacancy.id}?lang=${lang}`,
        headers: { cookie },
      });
      expect(res.body).toContain(deadline);
      expect(res.body).not.toContain("GMT");
    }
  });

  it("empty tables say so", async () => {
    // Staff of Banda Aceh, where nobody is registered and nothing is published.
    const { cookie } = await consoleSession(h.prisma, { role: "admin", cities: ["1171"] });
    const get = (url: string) => app.inject({ method: "GET", url, headers: { cookie } });
    const overview = (await get("/console")).body;
    expect(overview).toContain('<td colspan="2">Belum ada pencari kerja terdaftar.</td>');
    expect(overview).toContain(
      '<td colspan="2">Belum ada yang menyebutkan ragam disabilitasnya.</td>',
    );
    expect((await get("/console/vacancies")).body).toContain("Belum ada lowongan.");
    expect((await get("/console/seekers")).body).toContain(
      "Tidak ada pencari kerja yang cocok dengan saringan ini.",
    );
    expect((await get("/console/seekers?lang=en")).body).toContain(
      "No job seekers match this filter.",
    );
  });
});
