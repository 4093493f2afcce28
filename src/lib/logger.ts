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
  return pino({
    ...base,
    transport: {
      target: "pino-pretty",
      options: {
        destination,
        colorize: false,
        translateTime: "SYS:HH:MM:ss.l",
        ignore: "pid,hostname",
      },
    },
  });
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
