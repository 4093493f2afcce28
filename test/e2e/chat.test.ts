import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runEntry } from "../helpers/process.ts";
import { testPrefix } from "../helpers/redis.ts";

const dataDir = mkdtempSync(join(tmpdir(), "ijc-chat-"));
const redis = testPrefix();
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await redis.cleanup();
});

const chat = (input: string, args: string[] = []) =>
  runEntry("src/cli/chat.ts", args, { DATA_DIR: dataDir, QUEUE_PREFIX: redis.prefix }, input);

describe("npm run chat (embedded database)", () => {
  it("prints a ready line, then the greeting for piped input, and exits 0", async () => {
    const run = chat("halo\n");
    const { code } = await run.exited;
    expect(code).toBe(0);
    const out = run.output();
    expect(out).toContain("Halo. Ini layanan otomatis Pusat Ketenagakerjaan Inklusif");
    expect(out).toContain("1. Bahasa Indonesia\n2. English");
    // Before the first answer, on standard error (standard output is the conversation).
    expect(out.indexOf("Ready: type a message")).toBeGreaterThanOrEqual(0);
    expect(out.indexOf("Ready: type a message")).toBeLessThan(out.indexOf("Halo."));
    expect(run.stdout()).not.toContain("Ready");
  });

  it("lets a newcomer register completely, with messy answers", async () => {
    const lines = [
      "halo",
      "1",
      "iya",
      "Budi Santoso",
      "jogja",
      "ya",
      "tuna netra",
      "sarjana",
      "komputer, pijat",
      "lewati",
      "apa saja",
      "2",
      "pembaca layar",
      "2",
      "0812-3456-7890",
      "ya",
    ];
    const run = chat(`${lines.join("\n")}\n`, ["--user", "budi"]);
    expect((await run.exited).code).toBe(0);
    const out = run.output();
    expect(out).toContain("1. Nama: Budi Santoso\n2. Tempat tinggal: Kota Yogyakarta");
    expect(out).toContain("3. Ragam disabilitas: Netra");
    expect(out).toContain("Terima kasih, Anda sudah terdaftar sebagai pencari kerja.");
    // Replies come in the order of the questions.
    expect(out.indexOf("Siapa nama lengkap Anda?")).toBeLessThan(
      out.indexOf("Di kota atau kabupaten mana Anda tinggal?"),
    );
  });

  it("says goodbye after deleting the data, and exits 0", async () => {
    const run = chat("halo\nhapus data\nya\n", ["--user", "hapus"]);
    expect((await run.exited).code).toBe(0);
    expect(run.output()).toContain("Semua data Anda sudah dihapus.");
  });

  it("keeps each --user's conversation apart and answers in order", async () => {
    const first = chat("halo\n", ["--user", "sari"]);
    expect((await first.exited).code).toBe(0);
    const second = chat("xyz\nulangi\n", ["--user", "sari"]);
    expect((await second.exited).code).toBe(0);
    const out = second.output();
    // Sari was greeted before: no greeting; "ulangi" repeats the question, not the hint.
    expect(out).not.toContain("Halo.");
    const unclear = "Ketik 1 untuk Bahasa Indonesia. Type 2 for English.";
    expect(out.split(unclear)).toHaveLength(2);
    expect(out.split("Pilih bahasa. Choose a language.")).toHaveLength(3);
  });
});
