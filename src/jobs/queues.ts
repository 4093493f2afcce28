/**
 * The queues on BullMQ: the producer side (Queues, the Enqueue port of
 * domain/queues.ts) with each queue's retry and retention defaults. The
 * names and payloads are domain/queues.ts's, re-exported for the workers.
 */
import { type JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { type Enqueue, QUEUE_NAMES, type QueueName, type QueuePayloads } from "../domain/queues.ts";

export {
  CHANNELS,
  type Enqueue,
  type JobOptions,
  PRIORITY,
  QUEUE_NAMES,
  type QueueName,
  type QueuePayloads,
  type QueuePort,
  type SendJob,
  type SendQueueName,
  sendPriority,
  sendQueueName,
  type WhatsAppAlert,
} from "../domain/queues.ts";

const DEFAULTS: Record<QueueName, JobsOptions> = {
  inbound: {
    // About 17 minutes of retries: a database restart must not cost a message.
    attempts: 10,
    backoff: { type: "exponential", delay: 1000 },
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 10_000 },
  },
  "send-console": sendDefaults(),
  "send-telegram": sendDefaults(),
  "send-whatsapp": sendDefaults(),
  relay: { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
  retention: { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
  reminder: {
    attempts: 8,
    backoff: { type: "exponential", delay: 1000 },
    removeOnComplete: { count: 10_000 },
    removeOnFail: { count: 10_000 },
  },
  "reminder-reconcile": { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
  "vacancy-match": {
    attempts: 8,
    backoff: { type: "exponential", delay: 2000 },
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 1000 },
  },
  broadcast: {
    attempts: 8,
    backoff: { type: "exponential", delay: 2000 },
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 1000 },
  },
  notify: {
    attempts: 5,
    backoff: { type: "exponential", delay: 2000 },
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 1000 },
  },
};

function sendDefaults(): JobsOptions {
  return {
    attempts: 8,
    // "send" is resolved by the send worker's backoffStrategy (honours 429 retry_after).
    backoff: { type: "send" },
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 10_000 },
  };
}

export type TypedQueue<N extends QueueName> = Queue<QueuePayloads[N], unknown, string>;

/** The producer side of every queue, sharing one Redis connection. */
export class Queues implements Enqueue {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    readonly connection: Redis,
    readonly prefix: string,
  ) {}

  get<N extends QueueName>(name: N): TypedQueue<N> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.connection,
        prefix: this.prefix,
        defaultJobOptions: DEFAULTS[name],
      });
      this.queues.set(name, queue);
    }
    return queue as unknown as TypedQueue<N>;
  }

  /** The BullMQ queue itself, for the queue monitor (the same queue `get` gives producers). */
  queue(name: QueueName): Queue {
    return this.get(name) as unknown as Queue;
  }

  /** Jobs waiting, delayed, active and failed per queue, for metrics and health pages. */
  async depths(): Promise<Record<QueueName, Record<string, number>>> {
    const entries = await Promise.all(
      QUEUE_NAMES.map(async (name) => {
        const counts = await this.get(name).getJobCounts(
          "waiting",
          "prioritized",
          "delayed",
          "active",
          "failed",
        );
        return [name, counts] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<QueueName, Record<string, number>>;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
