import type { Choice, OutboundMessage } from "../channels/types.ts";
import { formatLocalDate } from "../domain/dates.ts";
import type { Reply, ReplyParam } from "../engine/types.ts";
import { translator } from "../lib/i18n.ts";

export interface RenderOptions {
  language: string;
  plainLanguage: boolean;
  /** Filled into every message as `{{service}}`. */
  serviceName: string;
}

/**
 * Turns an engine reply into text in the person's language (plain variant
 * when chosen). Choices become numbered lines in the text itself (screen
 * readers, WhatsApp) and are also passed on for channels with buttons.
 */
export function render(reply: Reply, opts: RenderOptions): OutboundMessage {
  const t = translator(opts.language);
  const context = opts.plainLanguage ? "plain" : undefined;
  const params = (given: Record<string, ReplyParam> | undefined) =>
    Object.fromEntries(Object.entries(given ?? {}).map(([name, p]) => [name, value(p)]));
  const value = (param: ReplyParam): string | number => {
    if (typeof param !== "object") return param;
    if ("list" in param) return param.list.map(value).join(", ");
    if ("lines" in param) return param.lines.map(value).join("\n");
    if ("date" in param)
      return formatLocalDate(param.date, param.timeZone, opts.language, param.time);
    return t(param.key, { ...params(param.params), context });
  };

  const text = t(reply.key, { ...params(reply.params), service: opts.serviceName, context });
  if (!reply.choices?.length) return { text };

  const choices: Choice[] = reply.choices.map((c) => ({
    id: c.id,
    label: t(c.key, { ...params(c.params), context }),
  }));
  const lines = choices.map((c, i) => `${i + 1}. ${c.label}`);
  return { text: [text, ...lines].join("\n"), choices, buttons: reply.buttons ?? true };
}
