/**
 * One embedded database, many local commands: while `npm start` runs on the
 * embedded database, `npm run staff` and `npm run chat` work beside it (the
 * service does their work), and the chat's person is there for staff at once.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runningService } from "../../src/cli/local-service.ts";
import { REGISTRATION_SCRIPT } from "../fixtures/registration.ts";
import { waitFor } from "../helpers/fake-channel.ts";
import { freePort, npmStart, runEntry, type Spawned } from "../helpers/process.ts";
import { deletePrefix } from "../helpers/redis.ts";

let dataDir: string;
let port: number;
let service: Spawned;
let prefix = "";

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "ijc-beside-"));
  port = await freePort();
  service = npmStart({ DATA_DIR: dataDir, PORT: String(port) });
  await waitFor(() => service.output().includes('"msg":"started"'), 120_000, "the service");
  prefix = (await runningService(dataDir))!.prefix;
}, 180_000);

afterAll(async () => {
  process.kill(-service.child.pid!, "SIGINT");
  await waitFor(() => service.output().includes('"msg":"stopped"'), 30_000, "the service to stop");
  await deletePrefix(prefix);
  await rm(dataDir, { recursive: true, force: true });
});

const beside = (entry: string, args: string[], input?: string) =>
  runEntry(entry, args, { DATA_DIR: dataDir }, input);

describe("commands beside the running service on the embedded database", () => {
  it("makes the first admin with npm run staff, and refuses a bad one clearly", async () => {
    const admin = beside("src/cli/staff.ts", [
      "create-admin",
      "--email",
      "admin@pki.example",
      "--name",
      "Admin",
    ]);
    expect((await admin.exited).code).toBe(0);
    expect(admin.output()).toContain("Created staff account");
    expect(admin.output()).not.toContain("in use by process");
    const refused = beside("src/cli/staff.ts", ["create-admin", "--email", "bad"]);
    expect((await refused.exited).code).toBe(2);
    expect(refused.output()).toContain('"bad" is not an email address');
  });

  it("writes a backup with npm run db:backup, and refuses db:restore while it runs", async () => {
    const file = join(dataDir, "..", `${Date.now()}-beside.tar.gz`);
    const backup = beside("src/cli/backup.ts", [file]);
    expect((await backup.exited).code).toBe(0);
    expect(backup.stdout()).toContain("backup written");
    expect(existsSync(file)).toBe(true);
    const restore = beside("src/cli/restore.ts", [file]);
    expect((await restore.exited).code).toBe(1);
    expect(restore.output()).toContain("a service is running on this data folder");
    await rm(file, { force: true });
  });

  it("answers npm run db:migrate: the database is up to date", async () => {
    const migrate = beside("src/cli/migrate.ts", []);
    expect((await migrate.exited).code).toBe(0);
    expect(migrate.stdout()).toContain("is up to date");
  });

  it("registers a person with npm run chat, whom staff see at once", async () => {
    const chat = beside(
      "src/cli/chat.ts",
      ["--user", "ani"],
      `${REGISTRATION_SCRIPT.join("\n")}\n`,
    );
    expect((await chat.exited).code).toBe(0);
    expect(chat.stdout()).toContain("Anda sudah terdaftar sebagai pencari kerja");

    const tokenRun = beside("src/cli/staff.ts", [
      "create-token",
      "--name",
      "test",
      "--role",
      "admin",
    ]);
    expect((await tokenRun.exited).code).toBe(0);
    const token = tokenRun.stdout().trim().split("\n").at(-1)!;
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/seekers`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain("Ani Lestari");
  });
});
