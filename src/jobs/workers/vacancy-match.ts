import type { Job } from "bullmq";
import {
  type PushDeps,
  type PushSettings,
  pushPendingVacancies,
} from "../../features/vacancies/push.ts";
import type { QueuePayloads } from "../queues.ts";
import { type JobDefinition, requireUuids } from "./job.ts";

export type VacancyMatchPayload = QueuePayloads["vacancy-match"];

/**
 * Writes the pushes of every published vacancy still waiting for them (not
 * only the job's own: vacancies published together compete fairly for each
 * person's weekly cap). The job id is the claim, so a retry takes over its
 * own unfinished work at once.
 */
export function createVacancyMatchProcessor(deps: PushDeps, settings: PushSettings) {
  return async (job: Job<QueuePayloads["vacancy-match"]>) =>
    pushPendingVacancies(deps, job.id ?? `match-${job.data.vacancyId}`, settings);
}

/**
 * One job at a time; a long job whose worker died is handed to another within seconds
 * (the lock is renewed while it runs), and it takes over its own claim (the job id).
 * Retries: 8 attempts (queues.ts); nothing to settle after the last, since the relay
 * queues matching again for a vacancy whose pushes are still to do.
 */
export function vacancyMatchJob(
  deps: PushDeps,
  settings: PushSettings,
): JobDefinition<"vacancy-match"> {
  const process = createVacancyMatchProcessor(deps, settings);
  return {
    queue: "vacancy-match",
    worker: { concurrency: 1, lockDuration: 10_000, stalledInterval: 5_000 },
    async process(job) {
      requireUuids(job, "vacancyId");
      return process(job);
    },
  };
}
