// Training reports every batch (hundreds per second on small models); the webview only needs the
// latest progress of each run a few times per second.
import type { BatchProgress } from "../../engine/types";

export class BatchCoalescer {
  private readonly pending = new Map<string, BatchProgress>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly flush: (progress: BatchProgress[]) => void,
    private readonly intervalMs = 150,
  ) {}

  push(progress: BatchProgress): void {
    this.pending.set(progress.runId, progress);
    this.timer ??= setTimeout(() => this.flushNow(), this.intervalMs);
  }

  /** Drops pending progress of a run whose full record just arrived, so it cannot go stale. */
  forget(runId: string): void {
    this.pending.delete(runId);
  }

  flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const progress = [...this.pending.values()];
    this.pending.clear();
    this.flush(progress);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
