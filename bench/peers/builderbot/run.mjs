/**
 * BuilderBot (in-memory flow engine, nothing durable) running a registration
 * of the same shape as IJC Bot's: greeting, consent, seven questions with
 * validation, confirmation. Simulated people each wait for the reply before
 * answering. Prints one JSON line of figures. Run by bench/peer.ts.
 */
import bb from "@builderbot/bot";

const { createBot, createFlow, addKeyword, MemoryDB, TestTool } = bb;
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
/**
 * After a reply, before the next answer: BuilderBot arms the capture of the
 * next answer a little after sending the question, and an answer that comes
 * sooner is dropped. 0 = answer on the next turn of the event loop.
 */
const PAUSE_MS = Number(process.env.BENCH_PEER_PAUSE_MS ?? 5);
/** A reply that has not come within this long counts as unanswered. */
const REPLY_TIMEOUT_MS = Number(process.env.BENCH_REPLY_TIMEOUT_MS ?? 5000);

export const SCRIPT = [
  "halo",
  "ya",
  "Ani Lestari",
  "makassar",
  "tuli",
  "SMK",
  "menjahit, komputer",
  "1",
  "08123456789",
  "ya",
];

const CITIES = ["makassar", "surabaya", "bandung", "jakarta", "medan", "semarang"];
const DISABILITIES = ["netra", "tuli", "daksa", "intelektual", "mental", "wicara"];
const EDUCATION = ["sd", "smp", "sma", "smk", "d3", "s1", "s2"];

const ask = (question, valid, retry, save) => [
  question,
  { capture: true },
  async (ctx, { fallBack, state }) => {
    const answer = ctx.body.trim();
    if (!valid(answer.toLowerCase())) return fallBack(retry);
    await state.update({ [save]: answer });
  },
];

const registration = addKeyword(["halo", "hai", "daftar"])
  .addAnswer(
    "Selamat datang di layanan Pusat Ketenagakerjaan Inklusif. Data Anda kami simpan untuk mencarikan lowongan. Setuju? Ketik ya atau tidak.",
    { capture: true },
    async (ctx, { fallBack, endFlow }) => {
      const a = ctx.body.trim().toLowerCase();
      if (a === "tidak") return endFlow("Baik, data Anda tidak kami simpan.");
      if (!["ya", "iya", "setuju"].includes(a)) return fallBack("Ketik ya atau tidak.");
    },
  )
  .addAnswer(
    ...ask("Siapa nama lengkap Anda?", (a) => a.length >= 2, "Tulis nama lengkap Anda.", "name"),
  )
  .addAnswer(
    ...ask(
      "Anda tinggal di kota mana?",
      (a) => CITIES.includes(a),
      "Kota belum dikenal. Tulis nama kota.",
      "city",
    ),
  )
  .addAnswer(
    ...ask(
      "Apa ragam disabilitas Anda?",
      (a) => DISABILITIES.some((d) => a.includes(d)),
      "Tulis salah satu: netra, tuli, daksa, intelektual, mental, wicara.",
      "disability",
    ),
  )
  .addAnswer(
    ...ask(
      "Apa pendidikan terakhir Anda?",
      (a) => EDUCATION.includes(a),
      "Tulis SD, SMP, SMA, SMK, D3, S1 atau S2.",
      "education",
    ),
  )
  .addAnswer(...ask("Apa keahlian Anda?", (a) => a.length >= 2, "Tulis keahlian Anda.", "skills"))
  .addAnswer(
    ...ask(
      "Cara kerja yang Anda mau? 1. Di kantor 2. Dari rumah 3. Campuran",
      (a) => ["1", "2", "3"].includes(a),
      "Ketik 1, 2 atau 3.",
      "mode",
    ),
  )
  .addAnswer(
    ...ask(
      "Berapa nomor HP Anda?",
      (a) => /^(\+62|0)8\d{7,12}$/.test(a.replace(/[\s-]/g, "")),
      "Tulis nomor HP, misalnya 0812 3456 7890.",
      "phone",
    ),
  )
  .addAnswer(
    "Periksa data Anda. Sudah benar? Ketik ya atau tidak.",
    { capture: true },
    async (ctx, { fallBack, flowDynamic, state }) => {
      const a = ctx.body.trim().toLowerCase();
      if (!["ya", "tidak"].includes(a)) return fallBack("Ketik ya atau tidak.");
      await flowDynamic(`Terima kasih, ${state.get("name")}. Data Anda sudah tersimpan.`);
    },
  );

const waiters = new Map();
const delivered = new Map();
class ObservedProvider extends TestTool.TestProvider {
  async sendMessage(to, message) {
    delivered.set(to, (delivered.get(to) ?? 0) + 1);
    const w = waiters.get(to);
    if (w) {
      waiters.delete(to);
      w();
    }
    return { to, message };
  }
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function main() {
  const provider = new ObservedProvider();
  await createBot({ flow: createFlow([registration]), database: new MemoryDB(), provider });
  const latencies = [];
  let unanswered = 0;
  let messages = 0;
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(
      Array.from({ length: PEOPLE }, async (_, p) => {
        const user = `62811${String(round).padStart(2, "0")}${String(p).padStart(5, "0")}`;
        for (const text of SCRIPT) {
          await new Promise((r) => (PAUSE_MS > 0 ? setTimeout(r, PAUSE_MS) : setImmediate(r)));
          const t0 = performance.now();
          let timer;
          const answered = await new Promise((resolve) => {
            waiters.set(user, () => resolve(true));
            timer = setTimeout(() => resolve(false), REPLY_TIMEOUT_MS);
            provider.emit("message", { from: user, body: text, name: "Ani" });
          });
          clearTimeout(timer);
          messages += 1;
          if (answered) latencies.push(performance.now() - t0);
          else {
            waiters.delete(user);
            unanswered += 1;
          }
        }
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      system: "BuilderBot 1.3.13 (MemoryDB, test provider)",
      people: PEOPLE,
      pauseMs: PAUSE_MS,
      messages,
      perPerson: SCRIPT.length,
      // Answered messages per second of the whole run (a wait that timed out is in the time).
      rate: (messages - unanswered) / seconds,
      seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      unanswered,
      cpuMsPerMessage: (cpu.user + cpu.system) / 1000 / messages,
      peakRssMiB: peakRss / 1024 / 1024,
    }),
  );
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
