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
  runEntry(
    "src/channels/console/cli.ts",
    args,
    { DATA_DIR: dataDir, QUEUE_PREFIX: redis.prefix },
    input,
  );

describe("npm run chat (embedded database)", () => {
  it("prints the greeting for piped input and exits 0", async () => {
    const run = chat("halo\n");
    const { code } = await run.exited;
    expect(code).toBe(0);
    expect(run.output()).toContain("Halo. Ini layanan otomatis Pusat Ketenagakerjaan Inklusif.");
    expect(run.output()).toContain("1. Bahasa Indonesia\n2. English");
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
    expect(out).toContain("3. Ragam disabilitas: Sensorik netra (buta atau low vision)");
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
    // Sari was greeted before: no greeting, and "ulangi" repeats the last answer exactly.
    expect(out).not.toContain("Halo.");
    const unclear = "Ketik 1 untuk Bahasa Indonesia. Type 2 for English.";
    expect(out.split(unclear)).toHaveLength(3);
  });
});
