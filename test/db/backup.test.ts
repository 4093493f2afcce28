/**
 * npm run db:backup and db:restore: a copy taken from one database and put
 * into an empty one holds the registered people and their conversations.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupTo, restoreFrom } from "../../src/db/backup.ts";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { applyMigrations } from "../../src/db/migrate.ts";
import { createTestDatabase, ownServerClientProblem, type TestPostgres } from "../helpers/db.ts";

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "ijc-backup-"));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** A registered person with a conversation, as the message path leaves them. */
async function seed(db: Database): Promise<string> {
  const person = await db.prisma.person.create({
    data: {
      channels: { create: { channel: "console", externalId: "ani" } },
      conversation: { create: { state: { version: 2, flow: "menu", step: "main" } } },
      profile: {
        create: {
          fullName: "Ani Lestari",
          cityCode: "7371",
          education: "smk",
          disabilityCategories: ["rungu"],
          skills: ["menjahit"],
          jobTypes: [],
          workModes: ["onsite"],
          accommodations: [],
          communication: ["text"],
        },
      },
    },
  });
  return person.id;
}

async function expectSeeded(db: Database, personId: string) {
  const person = await db.prisma.person.findUniqueOrThrow({
    where: { id: personId },
    include: { profile: true, conversation: true, channels: true },
  });
  expect(person.profile?.fullName).toBe("Ani Lestari");
  expect(person.conversation?.state).toMatchObject({ flow: "menu", step: "main" });
  expect(person.channels.map((c) => c.externalId)).toEqual(["ani"]);
}

describe("backup and restore, embedded", () => {
  it("restores into an empty data folder what was there, and refuses a folder that holds a database", async () => {
    const from = join(folder, "from");
    const to = join(folder, "to");
    const file = join(folder, "embedded.tar.gz");
    const source = await openDatabase({ dataDir: from });
    let personId: string;
    try {
      personId = await seed(source);
      const { bytes } = await backupTo(source, file);
      expect(bytes).toBeGreaterThan(1000);
    } finally {
      await source.close();
    }
    await restoreFrom(file, { dataDir: to });
    const restored = await openDatabase({ dataDir: to });
    try {
      await expectSeeded(restored, personId);
    } finally {
      await restored.close();
    }
    await expect(restoreFrom(file, { dataDir: to })).rejects.toThrow(/already holds a database/);
  });
});

// Runs wherever the tests use a configured PostgreSQL (CI); on the run's own
// server only when pg_dump and pg_restore are installed and recent enough.
const clientProblem = await ownServerClientProblem(["pg_dump", "pg_restore"]);

describe.skipIf(clientProblem !== undefined)(
  `backup and restore, PostgreSQL${clientProblem ? ` (skipped on the run's own server: ${clientProblem})` : ""}`,
  () => {
    let a: TestPostgres;
    let b: TestPostgres;
    beforeAll(async () => {
      a = await createTestDatabase();
      b = await createTestDatabase();
    });
    afterAll(async () => {
      await a.drop();
      await b.drop();
    });

    it("restores into an empty database what was there, and refuses one that is not empty", async () => {
      const file = join(folder, "postgres.dump");
      const source = await openDatabase({ databaseUrl: a.url, dataDir: "unused" });
      let personId: string;
      try {
        await applyMigrations(source);
        personId = await seed(source);
        await backupTo(source, file, a.url);
      } finally {
        await source.close();
      }
      await restoreFrom(file, { databaseUrl: b.url, dataDir: "unused" });
      const restored = await openDatabase({ databaseUrl: b.url, dataDir: "unused" });
      try {
        await expectSeeded(restored, personId);
      } finally {
        await restored.close();
      }
      await expect(restoreFrom(file, { databaseUrl: b.url, dataDir: "unused" })).rejects.toThrow(
        /not empty/,
      );
    });
  },
);
