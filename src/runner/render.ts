import type { Choice, OutboundMessage } from "../channels/types.ts";
import type { Reply, ReplyParam } from "../engine/types.ts";
import { translator } from "../lib/i18n.ts";

export interface RenderOptions {
  language: string;
  plainLanguage: boolean;
  /** Filled into every message as `{{service}}`. */
  serviceName: string;
}

/**
 * Turns an engine reply into text in the person's language. Choices become
 * numbered lines in the text itself (screen readers, WhatsApp) and are also
 * passed on for channels that can show buttons.
 */
export function render(reply: Reply, opts: RenderOptions): OutboundMessage {
  const t = translator(opts.language);
  const context = opts.plainLanguage ? "plain" : undefined;
  const value = (param: ReplyParam): string | number =>
    typeof param === "object" ? t(param.key, { context }) : param;
  const params = Object.fromEntries(
    Object.entries(reply.params ?? {}).map(([name, param]) => [name, value(param)]),
  );
  const text = t(reply.key, { ...params, service: opts.serviceName, context });
  if (!reply.choices?.length) return { text };

  const choices: Choice[] = reply.choices.map((c) => ({ id: c.id, label: t(c.key, { context }) }));
  const lines = choices.map((c, i) => `${i + 1}. ${c.label}`);
  return { text: [text, ...lines].join("\n"), choices, buttons: true };
}
