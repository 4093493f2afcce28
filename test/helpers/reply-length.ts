/**
 * Development aid (issue 16, "shorter replies"): the total characters, lines
 * and messages a conversation fixture's replies make as the runner sends them
 * (a turn's replies joined, blank lines between them counted), as written and
 * with plain language on from the start.
 *   npx tsx test/helpers/reply-length.ts register-id.txt vacancies-browse.txt ...
 * (a name is looked up in test/fixtures/conversations; a path is read as given)
 */
import { resolve } from "node:path";
import { parseFixture, runFixture } from "./conversation.ts";

const DIR = resolve(import.meta.dirname, "../fixtures/conversations");
const files = process.argv.slice(2);

function measure(file: string, plain: boolean) {
  const fixture = parseFixture(resolve(DIR, file));
  if (plain) fixture.person = { ...fixture.person, plainLanguage: true };
  let chars = 0;
  let lines = 0;
  let messages = 0;
  let turns = 0;
  for (const result of runFixture(fixture)) {
    turns += 1;
    for (const m of result.messages) {
      messages += 1;
      chars += m.text.length;
      lines += m.text.split("\n").length;
    }
  }
  return { chars, lines, messages, turns };
}

const total = {
  normal: { chars: 0, lines: 0, messages: 0 },
  plain: { chars: 0, lines: 0, messages: 0 },
};
for (const file of files) {
  const n = measure(file, false);
  const p = measure(file, true);
  for (const [k, m] of [
    ["normal", n],
    ["plain", p],
  ] as const) {
    total[k].chars += m.chars;
    total[k].lines += m.lines;
    total[k].messages += m.messages;
  }
  console.log(
    `${file.padEnd(28)} turns ${String(n.turns).padStart(3)}  normal ${n.chars} chars / ${n.lines} lines / ${n.messages} msgs   plain ${p.chars} chars / ${p.lines} lines / ${p.messages} msgs`,
  );
}
console.log(
  `${"total".padEnd(28)}            normal ${total.normal.chars} chars / ${total.normal.lines} lines / ${total.normal.messages} msgs   plain ${total.plain.chars} chars / ${total.plain.lines} lines / ${total.plain.messages} msgs`,
);
