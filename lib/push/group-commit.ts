import type { ApplyResult, PendingPush, PushApplier } from "./apply";

interface Waiting {
  item: PendingPush;
  resolve: (result: ApplyResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: events whose requests finished in the same turn of the event loop (or, with
 * `windowMs`, within that many milliseconds of the first) are applied in one transaction, and each
 * reply waits for that commit. Under load, batches grow by themselves; the window also batches a
 * steady stream (at 1,000 events/s, one commit per event would spend more on BEGIN, the aggregates'
 * flush, the snapshot and COMMIT than on the events). A full batch is committed at once.
 */
export class GroupCommit {
  private queue: Waiting[] = [];
  private timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | null = null;

  constructor(
    private readonly applier: PushApplier,
    private readonly maxBatch = 500,
    private readonly windowMs = 0,
  ) {}

  apply(item: PendingPush): Promise<ApplyResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer =
      this.windowMs > 0 ? setTimeout(() => this.flush(), this.windowMs) : setImmediate(() => this.flush());
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer as ReturnType<typeof setTimeout>);
      clearImmediate(this.timer as ReturnType<typeof setImmediate>);
      this.timer = null;
    }
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length) this.schedule();
    if (!batch.length) return;
    try {
      const results = this.applier.applyBatch(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch {
      // The batch was rolled back: apply one by one, so one failing event does not fail the others.
      for (const w of batch) {
        try {
          w.resolve(this.applier.applyBatch([w.item])[0]!);
        } catch (error) {
          w.reject(error);
        }
      }
    }
  }
}
