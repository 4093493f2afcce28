/**
 * Development aid: runs lines through the engine and prints them in fixture
 * format, to review a conversation before saving it as a fixture.
 *   npx tsx test/helpers/print-conversation.ts '@person {...}' 'halo' '1' '@advance 20m' ...
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { effectLine, type Fixture, runFixture } from "./conversation.ts";

const fixture: Fixture = { person: {}, vacancies: [], trainings: [], steps: [] };
const header: string[] = [];
const before = new Map<number, string[]>();
for (const arg of process.argv.slice(2)) {
  const advance = /^@advance (\d+)([smhd])$/.exec(arg);
  if (advance) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[advance[2] as "s"];
    fixture.steps.push({ advanceMs: Number(advance[1]) * unit });
    const turns = fixture.steps.filter((s) => !("advanceMs" in s)).length;
    before.set(turns, [...(before.get(turns) ?? []), `@ advance ${advance[1]}${advance[2]}`]);
    continue;
  }
  const data = /^@(vacancies|trainings) (.+)$/.exec(arg);
  if (data) {
    const [, kind, file] = data as unknown as [string, "vacancies" | "trainings", string];
    fixture[kind] = JSON.parse(
      readFileSync(join(import.meta.dirname, "../fixtures", file), "utf8"),
    );
    header.push(`@ ${kind} ${file}`);
    continue;
  }
  if (arg === "@funnel on") {
    fixture.funnel = true;
    header.push("@ funnel on");
    continue;
  }
  if (arg.startsWith("@person ")) {
    fixture.person = JSON.parse(arg.slice(8));
    header.push(`@ person ${arg.slice(8)}`);
    continue;
  }
  const media = /^\[(voice|image|sticker|document|video|location|contact)\]$/.exec(arg);
  const choice = /^\[choice:(.+)\]$/.exec(arg);
  fixture.steps.push({
    line: 0,
    input: choice
      ? { text: "", choice: choice[1] }
      : media
        ? { text: "", media: media[1] }
        : { text: arg === "[empty]" ? "" : arg },
    expectReplies: [],
    expectEffects: [],
  });
}
for (const line of header) console.log(line);
runFixture(fixture).forEach(({ turn, replies, effects }, index) => {
  for (const line of before.get(index) ?? []) console.log(line);
  const input = turn.input;
  const shown = input.media
    ? `[${input.media}]`
    : input.choice
      ? `[choice:${input.choice}]`
      : input.text;
  console.log(`> ${shown === "" ? "[empty]" : shown}`);
  for (const e of effects) console.log(`= ${effectLine(e)}`);
  for (const r of replies) {
    console.log(`< ${r.reply.key}`);
    for (const line of r.text.split("\n")) console.log(`    | ${line}`);
  }
});
