/**
 * The logger handed to Baileys. Baileys logs message keys, JIDs and at low
 * levels whole messages; none of that may reach our logs. Only warnings and
 * errors pass, as their message and an error's name.
 */
import type { ILogger } from "@whiskeysockets/baileys/lib/Utils/logger.js";
import type { Logger } from "../../lib/logger.ts";

const describe = (obj: unknown) => {
  const err =
    (obj as { err?: unknown; error?: unknown })?.err ?? (obj as { error?: unknown })?.error;
  if (obj instanceof Error) return { err: obj.name };
  return err instanceof Error ? { err: err.name } : {};
};

/** The message text, with anything like a number or a JID taken out. */
const text = (obj: unknown, msg: string | undefined) =>
  `baileys: ${msg ?? (typeof obj === "string" ? obj : "(no message)")}`.replace(
    /[\w.+-]*\d{5,}[\w.:-]*(@[\w.]+)?/g,
    "[id]",
  );

export function baileysLogger(log: Logger): ILogger {
  const quiet = () => undefined;
  const make = (): ILogger => ({
    level: "warn",
    child: () => make(),
    trace: quiet,
    debug: quiet,
    info: quiet,
    warn: (obj, msg) => log.warn(describe(obj), text(obj, msg)),
    error: (obj, msg) => log.error(describe(obj), text(obj, msg)),
  });
  return make();
}
