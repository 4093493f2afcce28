/**
 * One embedded database, many local commands. The embedded database can be
 * open in one process only; while the service runs on it, `npm run staff` and
 * `npm run chat` ask the service to do their work, over a unix socket in the
 * data folder (`service.sock`, readable by the service's user only: the
 * socket is as private as the database files next to it).
 */
import { existsSync } from "node:fs";
import { chmod, rm } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import { join, resolve } from "node:path";
import type { InboundMessage } from "../domain/messages.ts";
import type { CommandIO } from "../features/staff/commands.ts";
import type { Logger } from "../lib/logger.ts";
import type { Received } from "../runner/receive.ts";

export const serviceSocketPath = (dataDir: string) => join(resolve(dataDir), "service.sock");

/** What the running service does for the commands beside it. */
export interface LocalHandlers {
  /** Redis and queue prefix, for a chat's printer of replies. */
  info(): { redisUrl: string; prefix: string };
  staff(
    argv: string[],
    stdin: string | undefined,
  ): Promise<{ code: number; out: string[]; err: string[] }>;
  receive(message: InboundMessage): Promise<Received>;
  /** Whether these messages are processed and every reply to them is out. */
  settled(inboundIds: string[]): Promise<boolean>;
  /** `npm run db:migrate`: applies what is pending. */
  migrate(): Promise<{ applied: string[]; location: string }>;
  /** `npm run db:backup`: writes a copy of the database to this file. */
  backup(file: string): Promise<{ bytes: number }>;
}

const MAX_BODY = 256 * 1024;

export async function startLocalService(
  dataDir: string,
  handlers: LocalHandlers,
  log: Logger,
): Promise<{ close(): Promise<void> }> {
  const path = serviceSocketPath(dataDir);
  // Left by a service that was killed: nobody answers on it (the embedded lock said so).
  await rm(path, { force: true });
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) req.destroy();
    });
    req.on("end", () => {
      void answer(req.method ?? "GET", req.url ?? "/", body).then(
        (result) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(result));
        },
        (error: Error) => {
          log.warn({ err: error.name }, "local command failed");
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: error.message }));
        },
      );
    });
  });
  const answer = async (method: string, url: string, body: string): Promise<unknown> => {
    const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    if (method === "GET" && url === "/info") return handlers.info();
    if (method === "POST" && url === "/staff") {
      return handlers.staff(input.argv as string[], input.stdin as string | undefined);
    }
    if (method === "POST" && url === "/chat/receive") {
      const m = input as unknown as InboundMessage & { receivedAt: string };
      return handlers.receive({ ...m, channel: "console", receivedAt: new Date(m.receivedAt) });
    }
    if (method === "POST" && url === "/migrate") return handlers.migrate();
    if (method === "POST" && url === "/backup") return handlers.backup(String(input.file));
    if (method === "POST" && url === "/chat/settled") {
      return { settled: await handlers.settled(input.inboundIds as string[]) };
    }
    throw new Error(`no such local command: ${method} ${url}`);
  };
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(path, () => done());
  });
  await chmod(path, 0o600);
  return {
    async close() {
      await new Promise<void>((done) => server.close(() => done()));
      await rm(path, { force: true });
    },
  };
}

/** A service running on this data folder, if one answers. */
export interface RunningService {
  socketPath: string;
  redisUrl: string;
  prefix: string;
}

export async function runningService(dataDir: string): Promise<RunningService | undefined> {
  const socketPath = serviceSocketPath(dataDir);
  if (!existsSync(socketPath)) return undefined;
  try {
    const info = await call<{ redisUrl: string; prefix: string }>(socketPath, "GET", "/info");
    return { socketPath, ...info };
  } catch {
    return undefined;
  }
}

export async function forwardStaffCommand(
  service: RunningService,
  argv: string[],
  stdin: string | undefined,
  io: CommandIO,
): Promise<number> {
  const result = await call<{ code: number; out: string[]; err: string[] }>(
    service.socketPath,
    "POST",
    "/staff",
    { argv, stdin },
  );
  for (const line of result.err) io.err(line);
  for (const line of result.out) io.out(line);
  return result.code;
}

export const forwardReceive = (service: RunningService, message: InboundMessage) =>
  call<Received>(service.socketPath, "POST", "/chat/receive", message);

export const forwardMigrate = (service: RunningService) =>
  call<{ applied: string[]; location: string }>(service.socketPath, "POST", "/migrate", {});

export const forwardBackup = (service: RunningService, file: string) =>
  call<{ bytes: number }>(service.socketPath, "POST", "/backup", { file });

export const forwardSettled = async (service: RunningService, inboundIds: string[]) =>
  (await call<{ settled: boolean }>(service.socketPath, "POST", "/chat/settled", { inboundIds }))
    .settled;

function call<T>(socketPath: string, method: string, path: string, body?: unknown): Promise<T> {
  return new Promise((done, fail) => {
    const req = request({ socketPath, method, path, timeout: 60_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => {
        try {
          const parsed = JSON.parse(text) as T & { error?: string };
          if (res.statusCode !== 200) fail(new Error(parsed.error ?? `status ${res.statusCode}`));
          else done(parsed);
        } catch (error) {
          fail(error);
        }
      });
    });
    req.on("error", fail);
    req.on("timeout", () => req.destroy(new Error("the running service did not answer")));
    if (body !== undefined) req.setHeader("content-type", "application/json");
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
