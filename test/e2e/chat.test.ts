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
    expect(run.output()).toContain("1. Lowongan kerja");
  });

  it("keeps each --user's conversation apart and answers in order", async () => {
    const first = chat("halo\n", ["--user", "sari"]);
    expect((await first.exited).code).toBe(0);
    const second = chat("xyz\nulangi\n", ["--user", "sari"]);
    expect((await second.exited).code).toBe(0);
    const out = second.output();
    // Sari was greeted before: no greeting, and "ulangi" repeats the last answer exactly.
    expect(out).not.toContain("Halo.");
    const unclear = "Maaf, saya belum mengerti.";
    expect(out.split(unclear)).toHaveLength(3);
  });
});
