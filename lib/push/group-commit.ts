import type { ApplyResult, PendingPush, PushApplier } from "./apply";

interface Waiting {
  item: PendingPush;
  resolve: (result: ApplyResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: events whose requests finished in the same turn of the event loop are applied in
 * one transaction, and each reply waits for that commit. Under load, batches grow by themselves.
 */
export class GroupCommit {
  private queue: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly applier: PushApplier,
    private readonly maxBatch = 500,
  ) {}

  apply(item: PendingPush): Promise<ApplyResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length) this.schedule();
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
