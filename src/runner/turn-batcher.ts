import { dispatchOutbox, type RunnerDeps } from "./deps.ts";
import { drainPerson, type ProcessOutcome } from "./process.ts";
import { type BatchOutcome, runTurnBatch } from "./turn-batch.ts";

export interface TurnBatcherOptions {
  /** Most people in one transaction. Default 100. */
  maxBatch?: number;
  /** Batches in flight at once (each holds one connection). Default 2. */
  parallel?: number;
}

interface Waiter {
  resolve(outcome: ProcessOutcome): void;
  reject(error: unknown): void;
}

/**
 * Group commit for the inbound queue. Each inbound job asks for its person;
 * the people asked for while a batch runs make up the next batch, so a quiet
 * service answers one message at once and a busy one writes a hundred
 * people's messages in one transaction. A person is in at most one batch of
 * this process at a time; other processes are kept apart by the row lock.
 */
export class TurnBatcher {
  private readonly waiting = new Map<string, Waiter[]>();
  private readonly inFlight = new Set<string>();
  private running = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly parallel: number;

  constructor(
    private readonly deps: RunnerDeps,
    opts: TurnBatcherOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 100;
    this.parallel = opts.parallel ?? 2;
  }

  /** Processes the person's waiting messages; resolves once they are committed and queued. */
  process(personId: string): Promise<ProcessOutcome> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(personId);
      if (list) list.push({ resolve, reject });
      else this.waiting.set(personId, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Let the jobs fetched together join one batch.
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.parallel) {
      const batch: [string, Waiter[]][] = [];
      for (const [personId, waiters] of this.waiting) {
        if (this.inFlight.has(personId)) continue;
        batch.push([personId, waiters]);
        if (batch.length >= this.maxBatch) break;
      }
      if (batch.length === 0) return;
      for (const [personId] of batch) {
        this.waiting.delete(personId);
        this.inFlight.add(personId);
      }
      this.running += 1;
      void this.run(batch).finally(() => {
        this.running -= 1;
        for (const [personId] of batch) this.inFlight.delete(personId);
        if (this.waiting.size > 0) this.schedule();
      });
    }
  }

  private async run(batch: [string, Waiter[]][]): Promise<void> {
    const ids = batch.map(([id]) => id);
    let outcomes: Map<string, BatchOutcome>;
    try {
      const result = await runTurnBatch(this.deps, ids);
      outcomes = result.outcomes;
      await dispatchOutbox(this.deps, result.refs);
    } catch (error) {
      // Committed or not, the one-at-a-time path picks up whatever is still waiting, and a
      // message that breaks something fails only its own person's job.
      this.deps.log.warn({ err: (error as Error).name, people: ids.length }, "batch failed");
      outcomes = new Map(ids.map((id) => [id, "slow" as const]));
    }
    await Promise.all(
      batch.map(async ([personId, waiters]) => {
        try {
          const outcome = outcomes.get(personId);
          const result: ProcessOutcome =
            outcome === "busy"
              ? { processed: 0, replies: 0, busy: true }
              : outcome === "slow"
                ? await drainPerson(this.deps, personId)
                : { processed: 0, replies: 0 };
          for (const w of waiters) w.resolve(result);
        } catch (error) {
          for (const w of waiters) w.reject(error);
        }
      }),
    );
  }
}
