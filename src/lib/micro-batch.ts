/**
 * Group commit for single statements: calls made while one batch is in
 * flight are run together as the next batch. A quiet process runs each call
 * at once (a batch of one); a busy one sends one statement for many callers,
 * which on a small machine is the difference (every statement wakes the
 * database and costs a system call or two on each side).
 */
/** Most calls in one statement. */
const MAX_BATCH = 500;

export class MicroBatch<I, O> {
  private queue: { item: I; resolve(o: O): void; reject(e: unknown): void }[] = [];
  /** One batch in flight at a time: calls are answered in the order they were made. */
  private running = false;
  private scheduled = false;

  /**
   * @param runBatch Runs a batch; returns one result per item, in order. Throwing fails
   *   every item of the batch.
   */
  constructor(private readonly runBatch: (items: I[]) => Promise<O[]>) {}

  run(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // Let the calls of this tick join one batch.
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    if (this.queue.length > 0 && !this.running) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.running = true;
      this.runBatch(batch.map((b) => b.item))
        .then(
          (results) => {
            batch.forEach((b, i) => {
              b.resolve(results[i] as O);
            });
          },
          (error: unknown) => {
            for (const b of batch) b.reject(error);
          },
        )
        .finally(() => {
          this.running = false;
          this.pump();
        });
    }
  }
}
