/**
 * `npm run bench:engine`: the message path at a given number of people
 * registering at once (BENCH_PEOPLE, default 200), beside raw BullMQ.
 * See docs/benchmarks.md for the figures and how to read them.
 */
import { availableParallelism } from "node:os";
import { REGISTRATION_SCRIPT, runEngineBench } from "./engine-run.ts";

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
/** Worker processes (`--roles worker`); 0: the workers run in this process. */
const WORKERS = Number(process.env.BENCH_WORKERS ?? 0);

async function main() {
  const r = await runEngineBench({
    people: PEOPLE,
    rounds: ROUNDS,
    concurrency: CONCURRENCY,
    workerProcesses: WORKERS,
  });
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const lines = [
    `bench:engine  ${PEOPLE} people × ${ROUNDS} rounds × ${REGISTRATION_SCRIPT.length} messages (full registration), concurrency ${CONCURRENCY}`,
    `  messages                  ${r.messages} (unanswered ${r.unanswered}; profiles saved ${r.profiles}, replies sent ${r.repliesSent})`,
    `  engine path               ${r.rate.toFixed(0)} messages/s`,
    `  raw BullMQ no-op jobs     ${r.rawRate.toFixed(0)} jobs/s (same Redis, concurrency ${CONCURRENCY})`,
    `  ratio raw/engine          ${(r.rawRate / r.rate).toFixed(1)}×`,
    `  turn latency (receive → last reply delivered)  p50 ${ms(r.p50)}  p99 ${ms(r.p99)}  max ${ms(r.max)}`,
    `    of which received → processed      p50 ${ms(r.processingP50)}  p99 ${ms(r.processingP99)}`,
    `    of which processed → replies sent  p50 ${ms(r.sendingP50)}  p99 ${ms(r.sendingP99)}`,
    `  database round trips      ${r.roundTripsPerMessage.toFixed(2)} per message (BEGIN and COMMIT counted)`,
    ...(r.workerPeakRssMiB
      ? [
          `  workers                   ${WORKERS} process${WORKERS === 1 ? "" : "es"} (--roles worker${process.env.BENCH_COMPILED === "1" ? ", compiled" : ", npm start's bundle"})`,
          `  CPU of the workers        ${r.workerCpuMsPerMessage!.toFixed(2)} ms per message`,
          `  CPU of this process       ${r.cpuMsPerMessage.toFixed(2)} ms per message (receiving, as the gateway does, and the simulated people)`,
          `  peak RSS of each worker   ${r.workerPeakRssMiB.map((m) => `${m.toFixed(0)} MiB`).join(", ")}`,
          `  peak RSS of this process  ${r.peakRssMiB.toFixed(0)} MiB`,
        ]
      : [
          `  CPU of this process       ${r.cpuMsPerMessage.toFixed(2)} ms per message (service and the simulated people together)`,
          `  peak RSS                  ${r.peakRssMiB.toFixed(0)} MiB (same process)`,
        ]),
    ...machineLines(r),
  ];
  console.log(lines.join("\n"));
}

/**
 * The machine's share: PostgreSQL's and Redis's CPU per message beside the
 * service's, the rate all cores could sustain at that cost, and the latency
 * that rate implies for this many people each waiting for their reply
 * (Little's law: mean time in the system = people / messages per second).
 */
function machineLines(r: Awaited<ReturnType<typeof runEngineBench>>): string[] {
  if (r.postgresCpuMsPerMessage === undefined || r.redisCpuMsPerMessage === undefined) return [];
  const service = r.cpuMsPerMessage + (r.workerCpuMsPerMessage ?? 0);
  const all = service + r.postgresCpuMsPerMessage + r.redisCpuMsPerMessage;
  const cores = availableParallelism();
  const ceiling = (cores * 1000) / all;
  return [
    `  CPU of PostgreSQL, Redis  ${r.postgresCpuMsPerMessage.toFixed(2)} ms, ${r.redisCpuMsPerMessage.toFixed(2)} ms per message (all their processes on this machine)`,
    `  CPU, everything           ${all.toFixed(2)} ms per message → at most ${ceiling.toFixed(0)} messages/s on ${cores} cores`,
    `  mean turn latency floor   ${((PEOPLE / r.rate) * 1000).toFixed(0)} ms at the measured rate, ${((PEOPLE / ceiling) * 1000).toFixed(0)} ms at that ceiling (${PEOPLE} people, each waiting for the reply)`,
  ];
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
