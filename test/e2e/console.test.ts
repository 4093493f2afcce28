/**
 * The staff web console in headless Chromium (Debian's chromium, driven by
 * playwright-core), against the real server, database, queues and workers:
 * sign in, publish a vacancy and see its match count, send a broadcast and
 * watch its totals, answer a handoff. Every page visited is checked with
 * axe-core (WCAG 2.2 A and AA); seeker-written HTML is shown as text.
 */
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaffUser } from "../../src/features/staff/accounts.ts";
import { issueSetupLink } from "../../src/features/staff/setup.ts";
import { SendCircuit } from "../../src/features/whatsapp/circuit.ts";
import { WhatsAppControl } from "../../src/features/whatsapp/status.ts";
import { createWebServer } from "../../src/web/server.ts";
import { findChromium } from "../helpers/browser.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { createSeeker } from "../helpers/seekers.ts";
import { createdTraining } from "../helpers/trainings.ts";

const PASSWORD = "kata sandi yang panjang sekali";

let h: Harness;
let app: ReturnType<typeof createWebServer>;
let control: WhatsAppControl;
let circuit: SendCircuit;
let browser: Browser;
let base: string;
const dialogs: string[] = [];

beforeAll(async () => {
  h = await createHarness();
  // The WhatsApp gateway's side is played through the Redis records it writes.
  control = new WhatsAppControl(h.redis, h.prefix, "pki");
  circuit = new SendCircuit(h.redis, h.prefix);
  app = createWebServer({
    prisma: h.prisma,
    redis: h.redis,
    queues: h.queues,
    log: h.deps.log,
    serviceName: "PKI Kota Uji",
    whatsapp: { control, circuit },
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  await createStaffUser(h.prisma, {
    email: "sari@pki.example",
    name: "Sari",
    role: "admin",
    cities: ["7371"],
    password: PASSWORD,
  });
  // What acts for the whole service (the WhatsApp number, the queues) is for admins of all cities.
  await createStaffUser(h.prisma, {
    email: "andi@pki.example",
    name: "Andi",
    role: "admin",
    cities: [],
    password: PASSWORD,
  });
  await h.startWorkers({ broadcast: { quiet: { start: 0, end: 0 } } });
  browser = await chromium.launch({
    executablePath: findChromium(),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await h?.close();
});

/** No axe violations of WCAG 2.0–2.2 A and AA on the page as it is now. */
async function accessible(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const found = result.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`,
  );
  expect(found, await page.title()).toEqual([]);
}

let page: Page;

/** A laptop and a phone (issue 21): every page is looked at in both. */
const SCREEN_SIZES = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;
const SCREENSHOTS = join(import.meta.dirname, "../../test-artifacts/screenshots");

/** Keeps what the page looks like, named by language, size and path. */
async function keepScreenshot(
  at: Page,
  lang: string,
  size: { width: number; height: number },
  path: string,
) {
  const name =
    path
      .replace(/^\/console\/?/, "")
      .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, "one")
      .replace(/[^a-z0-9]+/gi, "-") || "overview";
  await at.screenshot({
    path: join(SCREENSHOTS, `${lang}-${size.width}x${size.height}-${name.slice(0, 80)}.png`),
    fullPage: true,
  });
}

/** Signs Sari in; `toldOf` failed attempts since her last sign-in: that page comes first. */
async function signIn(toldOf?: number) {
  page = await (await browser.newContext()).newPage();
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto(`${base}/console`);
  // Not signed in: the sign-in page, in Indonesian.
  await expect.poll(() => page.title()).toContain("Masuk");
  await accessible(page);
  // Keyboard only: the fields in order, Enter submits.
  await page.getByLabel("Email").fill("sari@pki.example");
  await page.getByLabel("Kata sandi").fill(PASSWORD);
  await page.getByLabel("Kata sandi").press("Enter");
  if (toldOf !== undefined) {
    await expect.poll(() => page.title()).toContain("ada yang mencoba akun Anda");
    expect(await page.getByRole("alert").textContent()).toContain(
      `sejak Anda terakhir masuk: ${toldOf}.`,
    );
    await accessible(page);
    await page.getByRole("link", { name: "Lanjutkan" }).click();
  }
  await page.waitForURL(`${base}/console`);
}

/** A new browser context signed in as `email` (the shared `page` stays Sari's). */
async function signedIn(email: string): Promise<Page> {
  const other = await (await browser.newContext()).newPage();
  await other.goto(`${base}/console/login`);
  await other.getByLabel("Email").fill(email);
  await other.getByLabel("Kata sandi").fill(PASSWORD);
  await other.getByLabel("Kata sandi").press("Enter");
  await other.waitForURL(`${base}/console`);
  return other;
}

describe("the staff console", () => {
  it("lets the first admin be chosen from the one-time setup link, by keyboard, accessibly", async () => {
    // The harness's admin stands aside for this test: with no admin, a link is issued.
    await h.prisma.staffUser.updateMany({ data: { disabledAt: new Date() } });
    try {
      const link = await issueSetupLink(h.prisma, new Date());
      const setup = await (await browser.newContext()).newPage();
      await setup.goto(`${base}/console/setup?token=${link!.token}`);
      await expect.poll(() => setup.title()).toContain("Buat admin pertama");
      await accessible(setup);
      await setup.getByLabel("Nama Anda").fill("Budi");
      await setup.getByLabel("Email").fill("budi@pki.example");
      await setup.getByLabel("Kata sandi", { exact: true }).fill(PASSWORD);
      await setup.getByLabel("Ulangi kata sandi").fill("not the same password");
      await setup.getByLabel("Ulangi kata sandi").press("Enter");
      await expect.poll(() => setup.title()).toContain("Galat:");
      await expect.poll(() => setup.getByRole("alert").textContent()).toContain("tidak sama");
      await accessible(setup);
      await setup.getByLabel("Kata sandi", { exact: true }).fill(PASSWORD);
      await setup.getByLabel("Ulangi kata sandi").fill(PASSWORD);
      await setup.getByLabel("Ulangi kata sandi").press("Enter");
      await setup.waitForURL(`${base}/console`);
      expect(await setup.locator("h1").textContent()).toBe("Ringkasan");
      // Used: the same link now explains itself.
      await setup.goto(`${base}/console/setup?token=${link!.token}`);
      await expect.poll(() => setup.title()).toContain("Tautan ini tidak berlaku");
      await accessible(setup);
      await setup.close();
    } finally {
      await h.prisma.staffUser.deleteMany({ where: { email: "budi@pki.example" } });
      await h.prisma.staffUser.updateMany({ data: { disabledAt: null } });
    }
  });

  it("signs in with the keyboard, refuses a wrong password clearly, and shows the overview", async () => {
    const other = await (await browser.newContext()).newPage();
    await other.goto(`${base}/console/login`);
    await other.getByLabel("Email").fill("sari@pki.example");
    await other.getByLabel("Kata sandi").fill("salah");
    await other.getByRole("button", { name: "Masuk" }).click();
    await expect.poll(() => other.title()).toContain("Galat:");
    await expect
      .poll(() => other.getByRole("alert").textContent())
      .toContain("Email atau kata sandi salah.");
    await accessible(other);
    await other.close();

    // Sari is told of that failed attempt on her account before going on.
    await signIn(1);
    expect(await page.locator("h1").textContent()).toBe("Ringkasan");
    // The first Tab reaches the skip link.
    await page.keyboard.press("Tab");
    expect(await page.locator(":focus").textContent()).toBe("Langsung ke isi halaman");
    await accessible(page);
    // English on request, remembered.
    await page.goto(`${base}/console?lang=en`);
    expect(await page.locator("h1").textContent()).toBe("Overview");
    await page.goto(`${base}/console?lang=id`);
  });

  it("creates a vacancy with a discriminatory requirement warned about, publishes it and shows the match count", async () => {
    for (let i = 0; i < 3; i++) await createSeeker(h.prisma, { externalId: `mks-${i}` });
    await createSeeker(h.prisma, { externalId: "smp", profile: { education: "smp" } });
    await page.goto(`${base}/console/vacancies/new`);
    await accessible(page);
    // Sent empty: every missing field is listed and announced.
    await page.getByRole("button", { name: "Simpan sebagai draf" }).click();
    await expect.poll(() => page.title()).toContain("Galat:");
    expect(await page.getByRole("alert").textContent()).toContain("Judul");
    await accessible(page);

    await page.getByLabel("Judul").fill("Staf Administrasi");
    await page.getByLabel("Pemberi kerja").fill("PT Maju Bersama");
    await page.getByLabel("Pendidikan paling rendah").selectOption("sma");
    await page.getByLabel("Batas pendaftaran").fill("2099-01-15");
    await page
      .getByLabel("Deskripsi pekerjaan")
      .fill("Mengelola surat. Syarat: sehat jasmani dan rohani.");
    await page.getByLabel("Cara melamar").fill("Kirim CV ke hrd@maju.example");
    await page.getByRole("button", { name: "Simpan sebagai draf" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Staf Administrasi");
    expect(await page.getByRole("status").first().textContent()).toContain("disimpan sebagai draf");
    expect(await page.locator(".warning").textContent()).toContain("sehat jasmani dan rohani");
    await accessible(page);

    await page
      .getByRole("button", { name: "Publikasikan dan kirim ke pencari kerja yang cocok" })
      .click();
    await expect
      .poll(() => page.getByRole("status").first().textContent())
      .toContain("Cocok untuk 3 pencari kerja");
    await accessible(page);
    await waitFor(() => h.channel.sent.length === 3, 15_000, "the pushes");
  });

  it("composes a broadcast, counts its recipients, sends it and shows its totals until done", async () => {
    await page.goto(`${base}/console/broadcasts`);
    await accessible(page);
    await page
      .getByLabel("Teks dalam Bahasa Indonesia")
      .fill("Bursa kerja inklusif Sabtu ini pukul 09.00.");
    await page.getByLabel("Pendidikan paling rendah").selectOption("sma");
    // With JavaScript the count follows the choices, read out politely.
    await expect
      .poll(() => page.locator("#live-count").textContent())
      .toContain("akan dikirim ke 3 orang");
    await page.getByLabel("Pendidikan paling rendah").selectOption("s1");
    await expect
      .poll(() => page.locator("#live-count").textContent())
      .toContain("akan dikirim ke 0 orang");
    await page.getByLabel("Pendidikan paling rendah").selectOption("sma");
    // Without it (or to be sure), the button counts.
    await page.getByRole("button", { name: "Hitung penerima" }).click();
    await expect
      .poll(() => page.getByRole("status").first().textContent())
      .toContain("akan dikirim ke 3 orang");
    // The form keeps what was typed.
    expect(await page.getByLabel("Teks dalam Bahasa Indonesia").inputValue()).toContain(
      "Bursa kerja",
    );
    await page.getByRole("button", { name: "Kirim pengumuman" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toMatch(/Pengumuman nomor \d+/);
    await accessible(page);
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.locator("#broadcast-status").textContent();
        },
        { timeout: 20_000 },
      )
      .toBe("Selesai");
    const totals = await page.locator("table tbody tr td").allTextContents();
    expect(totals).toEqual(["3", "0", "3", "0", "0"]);
  });

  it("shows what a seeker wrote as text, answers the handoff and closes it", async () => {
    const seeker = await createSeeker(h.prisma, {
      externalId: "tanya",
      profile: { fullName: '<img src=x onerror="alert(1)">Rina' },
    });
    await h.prisma.handoff.create({ data: { personId: seeker.personId, channel: "console" } });
    const account = await h.prisma.channelAccount.findFirstOrThrow({
      where: { personId: seeker.personId },
    });
    await h.prisma.inboundMessage.create({
      data: {
        personId: seeker.personId,
        channelAccountId: account.id,
        channel: "console",
        externalMessageId: "tanya-1",
        payload: { text: "<script>alert('x')</script> Saya mau tanya lowongan" },
        status: "processed",
        receivedAt: new Date(),
      },
    });
    await page.goto(`${base}/console/handoffs`);
    await accessible(page);
    const section = page.locator("section").first();
    expect(await section.locator("h2").textContent()).toContain(
      '<img src=x onerror="alert(1)">Rina',
    );
    expect(await section.locator(".message").textContent()).toBe(
      "<script>alert('x')</script> Saya mau tanya lowongan",
    );
    expect(await page.locator("main img, main script").count()).toBe(0);

    await section.getByRole("textbox").fill("Halo, kami telepon besok pukul 10.");
    await section.getByRole("button", { name: "Kirim balasan" }).click();
    await expect
      .poll(() => page.getByRole("status").first().textContent())
      .toContain("sedang dikirim");
    await waitFor(() => h.channel.textsTo("tanya").length === 1, 10_000, "the answer");
    expect(h.channel.textsTo("tanya")).toEqual(["Halo, kami telepon besok pukul 10."]);

    await page.getByRole("button", { name: /Tutup permintaan/ }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("ditutup");
    expect(await page.locator("main").textContent()).toContain(
      "Tidak ada orang yang menunggu petugas.",
    );
    await accessible(page);
    expect(dialogs).toEqual([]);
  });

  it("creates a training at a time in its city's zone", async () => {
    await page.goto(`${base}/console/trainings`);
    await page.getByLabel("Judul").fill("Menjahit Tingkat Dasar");
    await page.getByLabel("Penyelenggara").fill("BLK Makassar");
    await page.getByLabel("Tempat").fill("Jl. Urip Sumoharjo 5");
    await page.getByLabel("Waktu mulai").fill("2099-03-02T09:00");
    await page.getByLabel("Deskripsi").fill("Dasar menjahit pakaian.");
    await page.getByRole("button", { name: "Simpan pelatihan" }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("Menjahit Tingkat Dasar");
    const training = await h.prisma.training.findFirstOrThrow({
      where: { title: "Menjahit Tingkat Dasar" },
    });
    // 09.00 in Makassar (WITA, UTC+8) is 01.00 UTC.
    expect(training.startsAt.toISOString()).toBe("2099-03-02T01:00:00.000Z");
    expect(await page.locator("main").textContent()).toContain("09.00 WITA");
    await accessible(page);
  });

  it("pairs WhatsApp by QR or by code, and resumes sending after a restriction", async () => {
    const since = new Date().toISOString();
    await control.writeStatus({ state: "pairing", since, qr: "2@kode-qr-uji" }, 600_000);
    // Sari is an admin of Makassar only: she sees the state, not the QR code or the forms.
    const sari = page;
    await sari.goto(`${base}/console/whatsapp?lang=id`);
    expect(await sari.locator("main").textContent()).toContain(
      "Hanya admin semua kota yang dapat menautkan nomor",
    );
    expect(await sari.getByRole("img", { name: /Kode QR/ }).count()).toBe(0);
    expect(await sari.getByLabel("Nomor WhatsApp layanan").count()).toBe(0);
    await accessible(sari);
    // Andi is an admin of all cities.
    page = await signedIn("andi@pki.example");
    await page.goto(`${base}/console/whatsapp?lang=id`);
    const qr = page.getByRole("img", { name: /Kode QR untuk menautkan WhatsApp/ });
    await expect
      .poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(320);
    await accessible(page);

    // Who cannot scan asks for a pairing code; a wrong number is announced first.
    await page.getByLabel("Nomor WhatsApp layanan").fill("0812");
    await page.getByRole("button", { name: "Minta kode penautan" }).click();
    await expect.poll(() => page.title()).toContain("Galat:");
    await accessible(page);
    expect(await control.takeRequest()).toBeNull();
    await page.getByLabel("Nomor WhatsApp layanan").fill("6281100000000");
    await page.getByLabel("Nomor WhatsApp layanan").press("Enter");
    await expect
      .poll(() => page.getByRole("status").first().textContent())
      .toContain("Kode diminta");
    expect(await control.takeRequest()).toEqual({ kind: "pair", phone: "6281100000000" });

    // The gateway shows the code: written, and spelled out for screen readers.
    await control.writeStatus({ state: "pairing", since, pairingCode: "ABCD-1234" }, 600_000);
    await page.getByRole("link", { name: "Muat ulang status" }).click();
    const main = page.locator("main");
    await expect.poll(() => main.textContent()).toContain("Kode penautan: ABCD-1234");
    expect(await main.textContent()).toContain("Dieja: A B C D 1 2 3 4");
    await accessible(page);

    // Connected, then WhatsApp restricts the number: everything waits until an admin resumes.
    await control.writeStatus({ state: "open", since }, 600_000);
    await circuit.open("error 463", new Date());
    await page.goto(`${base}/console`);
    expect(await page.locator("main").textContent()).toContain(
      "Pengiriman WhatsApp dihentikan (error 463)",
    );
    await page.goto(`${base}/console/whatsapp`);
    expect(await main.textContent()).toContain("tidak ada yang hilang");
    await accessible(page);
    await page.getByRole("button", { name: "Lanjutkan pengiriman" }).click();
    await expect
      .poll(() => page.getByRole("status").first().textContent())
      .toContain("dilanjutkan");
    expect(await circuit.state()).toBeNull();
    expect(await main.textContent()).toContain("Tersambung");
    expect(await h.prisma.auditLog.count({ where: { action: "whatsapp.resume" } })).toBe(1);
    await page.context().close();
    page = sari;
  });

  it("has no accessibility violations on any page, in either language, and keeps admin pages to admins", async () => {
    const training = await createdTraining(h.prisma, { capacity: 1 });
    const [enrolled, waiting] = await Promise.all([
      createSeeker(h.prisma, { externalId: "ikut" }),
      createSeeker(h.prisma, { externalId: "tunggu" }),
    ]);
    await h.prisma.enrollment.createMany({
      data: [
        {
          trainingId: training.id,
          personId: enrolled.personId,
          status: "enrolled",
          channel: "console",
        },
        {
          trainingId: training.id,
          personId: waiting.personId,
          status: "waitlisted",
          channel: "console",
        },
      ],
    });
    const vacancy = await h.prisma.vacancy.findFirstOrThrow();
    const broadcast = await h.prisma.broadcast.findFirstOrThrow();
    const pages = [
      "/console",
      "/console/seekers",
      "/console/seekers?city=7371&education=sma",
      `/console/seekers/${enrolled.personId}`,
      "/console/vacancies",
      "/console/vacancies/new",
      `/console/vacancies/${vacancy.id}`,
      `/console/vacancies/${vacancy.id}/applications`,
      "/console/trainings",
      `/console/trainings/${training.id}`,
      `/console/trainings/${training.id}/enrollments`,
      "/console/broadcasts",
      `/console/broadcasts/${broadcast.id}`,
      "/console/handoffs",
      "/console/funnel",
      "/console/funnel?from=2026-01-01&to=2026-12-31&channel=telegram",
      "/console/whatsapp",
      "/console/audit",
      "/console/tokens",
      "/console/vacancies/00000000-0000-4000-8000-000000000000",
    ];
    // Each page in each language at a laptop's size, checked and kept as a screenshot, then
    // at a phone's size, kept too (test-artifacts/screenshots/, for people to look at).
    for (const lang of ["en", "id"]) {
      await page.goto(`${base}/console?lang=${lang}`);
      for (const size of SCREEN_SIZES) {
        await page.setViewportSize(size);
        for (const path of pages) {
          const response = await page.goto(`${base}${path}`);
          expect(response?.status(), path).toBeLessThan(path.includes("00000000") ? 500 : 400);
          expect(await page.locator("html").getAttribute("lang")).toBe(lang);
          if (size === SCREEN_SIZES[0]) await accessible(page);
          await keepScreenshot(page, lang, size, path);
        }
      }
    }
    await page.setViewportSize(SCREEN_SIZES[0]);
    // Moving a training is a form like the others: errors are announced, then it works.
    await page.goto(`${base}/console/trainings/${training.id}`);
    await page.getByRole("button", { name: "Pindahkan" }).click();
    await expect.poll(() => page.title()).toContain("Galat:");
    await accessible(page);
    // The queue monitor is behind the same sign-in, for admins.
    const queues = await page.goto(`${base}/console/queues`);
    expect(queues?.status()).toBe(200);

    // A staff member (not admin) of the same city: no audit log, no export, no queue monitor.
    await createStaffUser(h.prisma, {
      email: "budi@pki.example",
      name: "Budi",
      role: "staff",
      cities: ["7371"],
      password: PASSWORD,
    });
    const staff = await (await browser.newContext()).newPage();
    await staff.goto(`${base}/console/login`);
    await staff.getByLabel("Email").fill("budi@pki.example");
    await staff.getByLabel("Kata sandi").fill(PASSWORD);
    await staff.getByLabel("Kata sandi").press("Enter");
    await staff.waitForURL(`${base}/console`);
    expect(await staff.getByRole("link", { name: "Catatan audit" }).count()).toBe(0);
    for (const path of ["/console/audit", "/console/seekers.csv", "/console/queues"]) {
      expect((await staff.goto(`${base}${path}`))?.status(), path).toBe(403);
    }
    await staff.context().close();
  }, 480_000);

  it("shows the queue monitor read-only to an admin of some cities; an admin of all cities acts on it, recorded", async () => {
    // A reminder held back (delayed): what an admin may release by hand.
    const held = await h.queues
      .get("reminder")
      .add(
        "reminder",
        { trainingId: "00000000-0000-4000-8000-000000000000", offsetMinutes: 60, startsAt: 1 },
        { delay: 3_600_000 },
      );
    await page.goto(`${base}/console/queues`);
    await page.waitForURL(`${base}/console/queues/view`);
    await page.goto(`${base}/console/queues/view/queue/reminder?status=delayed`);
    // The held job is shown (so the page is there), without the buttons that would act on it.
    await expect
      .poll(() => page.locator("body").textContent())
      .toContain("00000000-0000-4000-8000-000000000000");
    await expect.poll(() => page.title()).toContain("read-only");
    expect(await page.getByRole("button", { name: "Promote all" }).count()).toBe(0);
    expect((await page.goto(`${base}/console/queues/manage`))?.status()).toBe(403);

    // bull-board's own page sends the CSRF token (its axios copies the XSRF-TOKEN cookie).
    const andi = await signedIn("andi@pki.example");
    andi.on("dialog", (d) => void d.dismiss());
    await andi.goto(`${base}/console/queues`);
    await andi.waitForURL(`${base}/console/queues/manage`);
    await andi.goto(`${base}/console/queues/manage/queue/reminder?status=delayed`);
    await andi.getByRole("button", { name: "Promote all" }).click();
    await andi.getByRole("button", { name: "Confirm" }).click();
    await expect
      .poll(() => h.prisma.auditLog.count({ where: { action: "queues.promote_all" } }))
      .toBe(1);
    await expect.poll(() => held.getState()).not.toBe("delayed");
    const entry = await h.prisma.auditLog.findFirstOrThrow({
      where: { action: "queues.promote_all" },
    });
    expect(entry).toMatchObject({ target: "reminder", details: { queue: "reminder" } });
    expect(entry.actor).toMatch(/^staff:/);
    await andi.context().close();
  });

  it("refuses a form without its CSRF token, and pages to a signed-out browser", async () => {
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === "ijc_console");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    const forged = await fetch(`${base}/console/broadcasts`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: `ijc_console=${session!.value}`,
      },
      body: "message.id=Halo&intent=send",
      redirect: "manual",
    });
    expect(forged.status).toBe(403);
    expect(await h.prisma.broadcast.count()).toBe(1);

    await page.goto(`${base}/console?lang=id`);
    await page.getByRole("button", { name: "Keluar" }).click();
    await expect.poll(() => page.title()).toContain("Masuk");
    const after = await fetch(`${base}/console/handoffs`, {
      headers: { cookie: `ijc_console=${session!.value}` },
      redirect: "manual",
    });
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toContain("/console/login");
  });
});
