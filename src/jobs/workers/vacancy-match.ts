import type { Job } from "bullmq";
import {
  type PushDeps,
  type PushSettings,
  pushPendingVacancies,
} from "../../features/vacancies/push.ts";
import type { QueuePayloads } from "../queues.ts";

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
