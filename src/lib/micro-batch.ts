/**
 * Group commit for single statements: calls made while one batch is in
 * flight are run together as the next batch. A quiet process runs each call
 * at once (a batch of one); a busy one sends one statement for many callers,
 * which on a small machine is the difference (every statement wakes the
 * database and costs a system call or two on each side).
 */
export class MicroBatch<I, O> {
  private queue: { item: I; resolve(o: O): void; reject(e: unknown): void }[] = [];
  private running = 0;
  private scheduled = false;

  /**
   * @param run Runs a batch; returns one result per item, in order. Throwing fails every
   *   item of the batch.
   * @param opts.max Most items per batch (default 500).
   * @param opts.parallel Batches in flight at once (default 1).
   */
  constructor(
    private readonly runBatch: (items: I[]) => Promise<O[]>,
    private readonly opts: { max?: number; parallel?: number } = {},
  ) {}

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
    const max = this.opts.max ?? 500;
    while (this.queue.length > 0 && this.running < (this.opts.parallel ?? 1)) {
      const batch = this.queue.splice(0, max);
      this.running += 1;
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
          this.running -= 1;
          this.pump();
        });
    }
  }
}
