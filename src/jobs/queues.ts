/**
 * Every queue's name and payload, in one place. Producers and workers both
 * import from here, so a payload change is a type error everywhere it matters.
 */
import { type JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { ChannelName } from "../domain/messages.ts";

export const CHANNELS: readonly ChannelName[] = ["console", "telegram", "whatsapp"];

export type SendQueueName = `send-${ChannelName}`;

export interface QueuePayloads {
  /** Process a person's stored inbound messages, oldest first. */
  inbound: { personId: string; inboundId: string };
  /** Deliver one outbox row. Job id = outbox row id. */
  "send-console": SendJob;
  "send-telegram": SendJob;
  "send-whatsapp": SendJob;
  /** Re-enqueue what a crash left stored but not queued. Repeats on a schedule. */
  relay: Record<string, never>;
  /** Tell staff about a new handoff or application (short, without sensitive data). */
  notify:
    | { handoffId: string }
    | { applicationId: string }
    /** WhatsApp stopped or was restricted: staff must act. */
    | { whatsapp: WhatsAppAlert; detail?: string };
  /** Remind everyone enrolled in a training. Delayed; id from `reminderJobId`. */
  reminder: { trainingId: string; offsetMinutes: number; startsAt: number };
  /** Rebuild reminder jobs from the database (at start and on a schedule). */
  "reminder-reconcile": Record<string, never>;
  /** Find the seekers a published vacancy is for and write their pushes to the outbox. */
  "vacancy-match": { vacancyId: string };
  /** Write a broadcast's outbox rows in chunks (delayed until its time). Id `broadcast-<id>`. */
  broadcast: { broadcastId: string };
  /** Delete the data of people inactive longer than the retention period. Daily. */
  retention: Record<string, never>;
}

export type WhatsAppAlert =
  | "logged_out"
  | "replaced"
  | "forbidden"
  | "multidevice_mismatch"
  | "pairing_expired"
  | "session_unreadable"
  | "restricted";

export interface SendJob {
  outboxId: string;
}

export type QueueName = keyof QueuePayloads;

export const QUEUE_NAMES: QueueName[] = [
  "inbound",
  "send-console",
  "send-telegram",
  "send-whatsapp",
  "relay",
  "notify",
  "vacancy-match",
  "broadcast",
  "reminder",
  "reminder-reconcile",
  "retention",
];

export const sendQueueName = (channel: ChannelName): SendQueueName => `send-${channel}`;

/**
 * Replies to someone chatting go first, then training reminders (they are due
 * now), then bulk messages (BullMQ: lower number first).
 */
export const PRIORITY = { reply: 1, reminder: 5, proactive: 10 } as const;

export function sendPriority(ref: {
  kind: "reply" | "proactive";
  subject?: string | null;
}): number {
  if (ref.kind === "reply") return PRIORITY.reply;
  return ref.subject?.startsWith("training:") ? PRIORITY.reminder : PRIORITY.proactive;
}

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
export class Queues {
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
