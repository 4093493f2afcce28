/**
 * One process at a time per embedded data folder.
 *
 * PGlite runs PostgreSQL inside this process with no shared-memory checks, so a
 * second process opening the same folder would corrupt it. A lock file holding
 * the owner's pid keeps the second one out; a lock left by a killed process
 * (kill -9, out of memory, power loss) is recognised as stale and taken over.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { link, readFile, rename, rm, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { AppError } from "../lib/errors.ts";

export const LOCK_FILE_NAME = "embedded.lock";

/** Lock files this process holds: our own pid in a lock file is only stale if it is not here. */
const heldHere = new Set<string>();

interface LockOwner {
  pid: number;
  /** Linux process start time (clock ticks after boot), to tell a reused pid from the owner. */
  startTime?: string;
  host: string;
  since: string;
}

export interface EmbeddedLock {
  readonly path: string;
  /** Removes the lock file if it is still ours. Safe to call more than once. */
  release(): Promise<void>;
}

export interface AcquireEmbeddedLockOptions {
  /**
   * PostgreSQL data folder inside `dataDir` whose `postmaster.pid` is removed
   * together with a stale lock (PGlite writes one and leaves it behind when killed).
   */
  postgresDir?: string;
}

export async function acquireEmbeddedLock(
  dataDir: string,
  opts: AcquireEmbeddedLockOptions = {},
): Promise<EmbeddedLock> {
  const path = join(resolve(dataDir), LOCK_FILE_NAME);
  const me: LockOwner = {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    host: hostname(),
    since: new Date().toISOString(),
  };
  // Two rounds: the second follows the removal of a stale lock. A third would mean
  // another process keeps taking the folder in between; better to stop and say so.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await tryCreate(path, me)) return ownedLock(path, me);
    const owner = await readOwner(path);
    if (owner === "missing") continue;
    if (owner !== "unreadable" && isAlive(owner, path)) throw inUse(dataDir, path, owner);
    await removeStale(path, dataDir);
    if (opts.postgresDir) await rm(join(opts.postgresDir, "postmaster.pid"), { force: true });
  }
  throw new AppError(
    "database_unavailable",
    `could not lock the embedded database in ${dataDir}: another process keeps taking ${path}`,
  );
}

/**
 * Writes the lock beside its place, then links it in: `link` fails if the lock
 * exists, so creation is atomic, and no other process ever sees a lock file
 * that is still empty.
 */
async function tryCreate(path: string, me: LockOwner): Promise<boolean> {
  const draft = `${path}.${process.pid}-${randomBytes(4).toString("hex")}.new`;
  await writeFile(draft, `${JSON.stringify(me)}\n`, { flush: true });
  try {
    await link(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

async function readOwner(path: string): Promise<LockOwner | "missing" | "unreadable"> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw error;
  }
  return parseOwner(text);
}

function parseOwner(text: string): LockOwner | "unreadable" {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === "number" && Number.isInteger(value.pid) && value.pid > 0) {
      return {
        pid: value.pid,
        startTime: typeof value.startTime === "string" ? value.startTime : undefined,
        host: typeof value.host === "string" ? value.host : "",
        since: typeof value.since === "string" ? value.since : "",
      };
    }
  } catch {
    // Emptied or garbled (a file system crash, a hand edit): nobody can be shown to own it.
  }
  return "unreadable";
}

/**
 * Whether the lock's owner may still be running. On another host we cannot
 * tell, so we assume it is (the folder may be shared over the network).
 */
function isAlive(owner: LockOwner, path: string): boolean {
  if (owner.host && owner.host !== hostname()) return true;
  // Our own pid in a file we do not hold means a previous life of this container
  // or machine (pids restart from 1 in a new container): that process is gone.
  if (owner.pid === process.pid) return heldHere.has(path);
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // The pid exists; is it the same process, or a new one that got the pid after a reboot?
  if (owner.startTime === undefined) return true;
  const current = processStartTime(owner.pid);
  return current === undefined || current === owner.startTime;
}

/** Linux only (/proc); elsewhere the pid check alone decides. */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces and parentheses: count from the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19]; // field 22, starttime
  } catch {
    return undefined;
  }
}

/**
 * Takes a stale lock away without racing another process doing the same: the
 * rename is atomic, so only one process gets the file; if what it got is a
 * live lock (someone else replaced the stale one in between), it is put back.
 */
async function removeStale(path: string, dataDir: string): Promise<void> {
  const claimed = `${path}.${process.pid}-${randomBytes(4).toString("hex")}.stale`;
  try {
    await rename(path, claimed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const owner = parseOwner(await readFile(claimed, "utf8").catch(() => ""));
  if (owner !== "unreadable" && isAlive(owner, path)) {
    await link(claimed, path).catch(() => undefined);
    await unlink(claimed);
    throw inUse(dataDir, path, owner);
  }
  await unlink(claimed);
}

function ownedLock(path: string, me: LockOwner): EmbeddedLock {
  let released = false;
  heldHere.add(path);
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      heldHere.delete(path);
      const owner = await readOwner(path);
      if (typeof owner === "object" && owner.pid === me.pid && owner.since === me.since) {
        await unlink(path).catch(() => undefined);
      }
    },
  };
}

function inUse(dataDir: string, path: string, owner: LockOwner): AppError {
  const elsewhere = owner.host && owner.host !== hostname() ? ` on host ${owner.host}` : "";
  return new AppError(
    "database_unavailable",
    `the embedded database in ${dataDir} is in use by process ${owner.pid}${elsewhere}; ` +
      "stop it, or set DATABASE_URL to share a PostgreSQL server" +
      (elsewhere ? ` (if that process is gone, delete ${path})` : ""),
  );
}
