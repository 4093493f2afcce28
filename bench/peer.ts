/**
 * `npm run bench:peer`: IJC Bot's message path and BuilderBot side by side,
 * in one run, with the same number of people registering at once (each
 * waiting for the reply before answering). BuilderBot runs in its own
 * process from bench/peers/builderbot/ (installed there on first use, not a
 * dependency of the service): its in-memory flow engine and MemoryDB keep
 * nothing durable; IJC Bot stores every message, state and reply in
 * PostgreSQL and goes through Redis queues.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { REGISTRATION_SCRIPT, runEngineBench } from "./engine-run.ts";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
/** Each person's pause after a reply before answering, for both systems (see run.mjs). */
const PAUSE_MS = Number(process.env.BENCH_PEER_PAUSE_MS ?? 5);
const PEER_DIR = fileURLToPath(new URL("./peers/builderbot/", import.meta.url));

interface PeerResult {
  pauseMs: number;
  system: string;
  messages: number;
  perPerson: number;
  rate: number;
  p50: number;
  p99: number;
  unanswered: number;
  cpuMsPerMessage: number;
  peakRssMiB: number;
}

function installPeer(): void {
  if (existsSync(`${PEER_DIR}node_modules/@builderbot/bot`)) return;
  console.error("bench:peer: installing BuilderBot into bench/peers/builderbot (first run only)");
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-save"], {
    cwd: PEER_DIR,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

function runPeer(pauseMs: number): Promise<PeerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["run.mjs"], {
      cwd: PEER_DIR,
      env: { ...process.env, BENCH_PEOPLE: String(PEOPLE), BENCH_PEER_PAUSE_MS: String(pauseMs) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0) return reject(new Error(`peer exited with ${code}: ${out.slice(-500)}`));
      try {
        resolve(JSON.parse(line) as PeerResult);
      } catch {
        reject(new Error(`peer printed no result: ${out.slice(-500)}`));
      }
    });
  });
}

async function main() {
  installPeer();
  const peer = await runPeer(PAUSE_MS);
  // The same people answering at once, with no pause: the peer drops answers, IJC Bot does not.
  const peerNoPause = await runPeer(0);
  const ours = await runEngineBench({
    people: PEOPLE,
    rounds: 1,
    concurrency: CONCURRENCY,
    pauseMs: PAUSE_MS,
  });
  /** One row of the table: the figures both systems report, in the same form. */
  const row = (
    label: string,
    r: Pick<
      PeerResult,
      "rate" | "p50" | "p99" | "unanswered" | "messages" | "cpuMsPerMessage" | "peakRssMiB"
    >,
  ) => [
    label,
    r.rate.toFixed(0),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    `${r.unanswered} of ${r.messages}`,
    r.cpuMsPerMessage.toFixed(2),
    r.peakRssMiB.toFixed(0),
  ];
  const rows = [
    ["system", "messages/s", "p50 ms", "p99 ms", "unanswered", "CPU ms/msg", "peak RSS MiB"],
    row("IJC Bot (PostgreSQL + Redis, durable)", ours),
    ...[peer, peerNoPause].map((p) =>
      row(`${p.system}, in memory${p.pauseMs === PAUSE_MS ? "" : `, pause ${p.pauseMs} ms`}`, p),
    ),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(
    `bench:peer  ${PEOPLE} people registering at once, each waiting for the reply and ${PAUSE_MS} ms more before answering`,
  );
  console.log(
    `  IJC Bot: ${REGISTRATION_SCRIPT.length} messages each (language, consent, disability consent, 7 questions, confirmation); peer: ${peer.perPerson} (greeting, consent, 7 questions, confirmation)`,
  );
  for (const r of rows) console.log(`  ${r.map((c, i) => c.padEnd(widths[i]!)).join("  ")}`);
  console.log(
    "  IJC Bot's CPU and RSS include the simulated people (one process); the peer's likewise.",
  );
  console.log(
    "  Unanswered: no reply within 5 s (the peer drops answers that arrive before its capture is armed; the last row shows how many without the pause; those waits are in its messages/s).",
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
