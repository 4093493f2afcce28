import { MAX_CHARS, MAX_CHARS_PLAIN } from "../domain/accessibility.ts";
import { formatLocalDate } from "../domain/dates.ts";
import type { Choice, OutboundMessage } from "../domain/messages.ts";
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
      return formatLocalDate(
        param.date,
        param.timeZone,
        opts.language,
        param.time,
        param.weekday ?? true,
      );
    return t(param.key, { ...params(param.params), context });
  };

  const text = t(reply.key, { ...params(reply.params), service: opts.serviceName, context });
  if (!reply.choices?.length) return { text };

  const choices: Choice[] = reply.choices.map((c) => ({
    id: c.id,
    label: t(c.key, { ...params(c.params), context }),
  }));
  const first = reply.firstNumber ?? 1;
  const lines = choices.map((c, i) => `${i + first}. ${c.label}`);
  return { text: [text, ...lines].join("\n"), choices, buttons: reply.buttons ?? true };
}

/**
 * A turn's replies as the fewest messages the content allows: replies are
 * joined (a blank line between) until one with choices, whose numbered lines
 * and buttons must end its message, or until the next would make the message
 * longer than a screen reader should read in one go (the accessibility
 * limits). Telegram delivers about one message a second to a chat: a turn of
 * three messages reached people three seconds later.
 */
export function renderTurn(replies: readonly Reply[], opts: RenderOptions): OutboundMessage[] {
  const max = opts.plainLanguage ? MAX_CHARS_PLAIN : MAX_CHARS;
  const messages: OutboundMessage[] = [];
  let open: OutboundMessage | undefined;
  for (const reply of replies) {
    const next = render(reply, opts);
    const joined = open ? `${open.text}\n\n${next.text}` : next.text;
    if (open && [...joined].length <= max) {
      messages[messages.length - 1] = { ...next, text: joined };
    } else {
      messages.push(next);
    }
    // Choices end a message: what follows them is a new one.
    open = next.choices?.length ? undefined : messages[messages.length - 1];
  }
  return messages;
}
