/**
 * The queues as the rest of the service sees them: every queue's name and
 * payload, the order sends go in, and the port use cases add jobs through
 * (Enqueue). jobs/queues.ts implements the port with BullMQ and its workers
 * take the same payloads, so a payload change is a type error everywhere.
 */
import type { ChannelName } from "./messages.ts";

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

/** What a job is added with (the part of BullMQ's options the service uses). */
export interface JobOptions {
  /** Adding a job whose id exists adds nothing: the id makes an add idempotent. */
  jobId?: string;
  delay?: number;
  priority?: number;
  attempts?: number;
}

/** One queue, as a producer uses it. */
export interface QueuePort<P> {
  add(name: string, data: P, opts?: JobOptions): Promise<unknown>;
  addBulk(jobs: { name: string; data: P; opts?: JobOptions }[]): Promise<unknown>;
  /** Removes a waiting or delayed job (nothing when there is none). */
  remove(jobId: string): Promise<unknown>;
  /** Delayed jobs, `start` to `end` in order of their time, each able to run now. */
  getDelayed(start: number, end: number): Promise<{ data: P; promote(): Promise<unknown> }[]>;
}

/** The producer side of every queue: what features and the runner need from them. */
export interface Enqueue {
  get<N extends QueueName>(name: N): QueuePort<QueuePayloads[N]>;
}
