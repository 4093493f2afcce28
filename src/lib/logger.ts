import { createRequire } from "node:module";
import pino, { type Logger } from "pino";

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** `pretty`: readable lines for a terminal; `json`: one JSON object per line. */
  format: "pretty" | "json";
  /** Where to write; default standard output. The chat CLI logs to standard error. */
  destination?: 1 | 2;
}

/**
 * Paths that must never reach a log: tokens, message text, phone numbers.
 * Code should not log them in the first place; this is the safety net.
 */
const REDACT = [
  "token",
  "*.token",
  "password",
  "*.password",
  "authorization",
  "*.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
  "text",
  "*.text",
  "phone",
  "*.phone",
];

export function createLogger(opts: LoggerOptions): Logger {
  const destination = opts.destination ?? 1;
  const base = { level: opts.level, redact: { paths: REDACT, censor: "[redacted]" } };
  if (opts.format === "json") {
    return pino(base, pino.destination({ fd: destination, sync: false }));
  }
  // In this thread, not as a pino transport: a transport is a worker thread, a second
  // JavaScript engine with its own heap (10-20 MiB resident, measured). Loaded only here, so
  // JSON logging (production) never loads it. Synchronous writes: nothing is lost at exit, and
  // a terminal's few lines a second cost little.
  const pretty = createRequire(import.meta.url)("pino-pretty") as typeof import("pino-pretty");
  return pino(
    base,
    pretty.build({
      destination,
      sync: true,
      colorize: false,
      translateTime: "SYS:HH:MM:ss.l",
      ignore: "pid,hostname",
    }),
  );
}

/** Shows where a connection string points without its password. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "[invalid url]";
  }
}

/** Keeps the last digits of an external id or phone number, enough to tell people apart in a log. */
export function maskId(value: string): string {
  return value.length <= 4 ? "****" : `…${value.slice(-4)}`;
}

/** A message (an error's, say) with the password of any connection string in it masked. */
export const redactUrls = (message: string) =>
  message.replace(/(\b[a-z][\w+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, "$1***@");
