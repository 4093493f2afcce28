import { DelayedError } from "bullmq";
import type { RunnerDeps } from "../../runner/deps.ts";
import { giveUpInbound } from "../../runner/process.ts";
import { TurnBatcher } from "../../runner/turn-batcher.ts";
import type { QueuePayloads, Queues } from "../queues.ts";
import { isUuid } from "../subject.ts";
import { type JobDefinition, requireUuids } from "./job.ts";

export type InboundPayload = QueuePayloads["inbound"];

/** How soon an inbound job looks again when another worker holds the person. */
const BUSY_RETRY_MS = 100;

/**
 * A person's stored inbound messages, run through the engine. The jobs this worker
 * holds at once become one batch (group commit): `concurrency` is the most people per
 * transaction. Retried for about 17 minutes (a database restart must not cost a
 * message); after that the person is told something went wrong (giveUpInbound).
 * A payload without ids cannot be retried into working: failed at once.
 */
export function inboundJob(
  deps: RunnerDeps<Queues>,
  concurrency: number,
): JobDefinition<"inbound"> {
  const batcher = new TurnBatcher(deps, { maxBatch: concurrency });
  return {
    queue: "inbound",
    worker: { concurrency },
    async process(job, token) {
      requireUuids(job, "personId", "inboundId");
      const outcome = await batcher.process(job.data.personId);
      if (outcome.busy) {
        await job.moveToDelayed(Date.now() + BUSY_RETRY_MS, token);
        throw new DelayedError();
      }
      return outcome;
    },
    async giveUp(job) {
      if (isUuid(job.data.inboundId)) await giveUpInbound(deps, job.data.inboundId);
    },
  };
}
