import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { acquireEmbeddedLock, LOCK_FILE_NAME } from "../../src/db/embedded-lock.ts";
import { embeddedTestDir } from "../helpers/db.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HOLDER = fileURLToPath(new URL("./fixtures/hold-embedded.ts", import.meta.url));

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function migratedDir(): Promise<string> {
  const dir = await embeddedTestDir();
  dirs.push(dir);
  return dir;
}

/**
 * Starts a process that opens the store, writes a Person and waits. Run with
 * `node --import tsx` rather than the tsx CLI, so the pid we kill is the one
 * holding the store and not a wrapper around it.
 */
async function startHolder(dataDir: string, personId: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", HOLDER, dataDir, personId], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`holder not ready: ${output}`)), 30_000);
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      if (output.includes(`ready ${child.pid}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`holder exited (${code}) before ready: ${output}`));
    });
  });
  return child;
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

describe("embedded store lock", () => {
  it("opens again after its process was killed with kill -9, with the row it wrote", async () => {
    const dataDir = await migratedDir();
    const personId = randomUUID();
    const holder = await startHolder(dataDir, personId);
    await killHard(holder);

    // What the dead process left behind: its lock, and PostgreSQL's postmaster.pid.
    const lockText = await readFile(join(dataDir, LOCK_FILE_NAME), "utf8");
    expect(JSON.parse(lockText).pid).toBe(holder.pid);
    expect(existsSync(join(dataDir, "pglite", "postmaster.pid"))).toBe(true);

    const db = await openDatabase({ dataDir });
    try {
      const person = await db.prisma.person.findUnique({ where: { id: personId } });
      expect(person?.id).toBe(personId);
      const lock = JSON.parse(await readFile(join(dataDir, LOCK_FILE_NAME), "utf8"));
      expect(lock.pid).toBe(process.pid);
    } finally {
      await db.close();
    }
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);
  });

  it("refuses a second process while the first is alive, naming its pid", async () => {
    const dataDir = await migratedDir();
    const holder = await startHolder(dataDir, randomUUID());
    const error = await openDatabase({ dataDir }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `the embedded database in ${dataDir} is in use by process ${holder.pid}; ` +
        "stop it, or set DATABASE_URL to share a PostgreSQL server",
    );
    // The refused opener must not have touched the holder's lock.
    const lock = JSON.parse(await readFile(join(dataDir, LOCK_FILE_NAME), "utf8"));
    expect(lock.pid).toBe(holder.pid);
  });

  it("refuses a second opener in the same process", async () => {
    const dataDir = await migratedDir();
    const db = await openDatabase({ dataDir });
    try {
      await expect(openDatabase({ dataDir })).rejects.toThrow(
        `is in use by process ${process.pid}`,
      );
      expect(await db.prisma.person.count()).toBeGreaterThanOrEqual(0);
    } finally {
      await db.close();
    }
  });

  it("takes over a lock file that is empty (e.g. after a file system crash)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ijc-lock-"));
    dirs.push(dir);
    await writeFile(join(dir, LOCK_FILE_NAME), "");
    const lock = await acquireEmbeddedLock(dir);
    expect(JSON.parse(await readFile(lock.path, "utf8")).pid).toBe(process.pid);
    await lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  // Telling a reused pid apart needs /proc (Linux).
  it.runIf(existsSync("/proc/self/stat"))(
    "takes over a lock whose pid now belongs to another process",
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "ijc-lock-"));
      dirs.push(dir);
      // Our parent is alive, but started at another time than the lock says: a reused pid.
      await writeFile(
        join(dir, LOCK_FILE_NAME),
        JSON.stringify({ pid: process.ppid, startTime: "1", host: hostname() }),
      );
      const lock = await acquireEmbeddedLock(dir);
      expect(JSON.parse(await readFile(lock.path, "utf8")).pid).toBe(process.pid);
      await lock.release();
    },
  );

  it("does not remove a lock that another process took over", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ijc-lock-"));
    dirs.push(dir);
    const lock = await acquireEmbeddedLock(dir);
    const theirs = JSON.stringify({ pid: process.ppid, host: "elsewhere", since: "x" });
    await writeFile(lock.path, theirs);
    await lock.release();
    expect(await readFile(lock.path, "utf8")).toBe(theirs);
  });
});
