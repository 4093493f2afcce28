import type { Queue } from "bullmq";
import type { Enqueue, QueueName } from "../domain/queues.ts";
import type { RedisKeys } from "../lib/redis-keys.ts";

/**
 * The queues as the web role uses them: adding jobs (the Enqueue port, for
 * the features it calls), the Redis keys beside them (sign-in limits), their
 * depths (health and metrics) and, for the queue monitor, each BullMQ queue
 * itself. jobs/queues.ts's Queues is all of these; the wiring passes it in.
 */
export type WebQueues = Enqueue &
  RedisKeys & {
    depths(): Promise<Record<QueueName, Record<string, number>>>;
    /** The BullMQ queue itself (the queue monitor shows and acts on it). */
    queue(name: QueueName): Queue;
  };
