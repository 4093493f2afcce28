import { DelayedError } from "bullmq";
import {
  type FanOutDeps,
  type FanOutSettings,
  fanOutBroadcast,
} from "../../features/broadcasts/fanout.ts";
import { failBroadcast } from "../../features/broadcasts/mutations.ts";
import type { Clock } from "../../lib/clock.ts";
import type { QueuePayloads } from "../queues.ts";
import { isUuid } from "../subject.ts";
import { type JobDefinition, requireUuids } from "./job.ts";

export type BroadcastPayload = QueuePayloads["broadcast"];

/**
 * A broadcast's outbox rows, written in chunks from its cursor (delayed until its time).
 * As for vacancy matching, a dead worker's job moves on within seconds, resuming at its
 * cursor. Retries: 8 attempts (queues.ts); then the broadcast is marked failed: what was
 * written is still sent, the rest never will be.
 */
export function broadcastJob(
  deps: FanOutDeps & { clock: Clock },
  settings: FanOutSettings,
): JobDefinition<"broadcast"> {
  return {
    queue: "broadcast",
    worker: { concurrency: 2, lockDuration: 10_000, stalledInterval: 5_000 },
    async process(job, token) {
      requireUuids(job, "broadcastId");
      const result = await fanOutBroadcast(deps, job.data.broadcastId, settings);
      if (result.outcome === "not-due") {
        // Fired early (clocks differ): wait for the broadcast's time.
        await job.moveToDelayed(result.sendAt.getTime(), token);
        throw new DelayedError();
      }
      return result;
    },
    async giveUp(job, error) {
      if (!isUuid(job.data.broadcastId)) return;
      await failBroadcast(
        deps.prisma,
        job.data.broadcastId,
        `fan-out gave up: ${error.name}`,
        deps.clock.now(),
      );
    },
  };
}
