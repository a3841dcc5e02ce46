// The webview's copy of the workspace's runs, kept current by the host's snapshot and increments.
import type { HostToWebview, PanelBatch, PanelRun } from '../src/shared/webview-protocol';

export interface RunsChanges {
  /** Everything changed (snapshot). */
  all: boolean;
  /** Runs created, updated or removed. */
  runs: Set<string>;
  /** Runs with new batch progress only. */
  batches: Set<string>;
}

export class RunsState {
  readonly runs = new Map<string, PanelRun>();
  readonly batches = new Map<string, PanelBatch>();

  /** Applies a run message and says what changed; other messages change nothing here. */
  apply(message: HostToWebview, changes: RunsChanges): void {
    switch (message.type) {
      case 'snapshot':
        this.runs.clear();
        this.batches.clear();
        for (const run of message.runs) this.runs.set(run.id, run);
        changes.all = true;
        return;
      case 'upsert':
        this.runs.set(message.run.id, message.run);
        if (message.run.status !== 'running') this.batches.delete(message.run.id);
        changes.runs.add(message.run.id);
        return;
      case 'removed':
        this.runs.delete(message.id);
        this.batches.delete(message.id);
        changes.runs.add(message.id);
        return;
      case 'batches':
        for (const progress of message.progress) {
          if (this.runs.get(progress.runId)?.status !== 'running') continue;
          this.batches.set(progress.runId, progress);
          changes.batches.add(progress.runId);
        }
        return;
      default:
        return;
    }
  }

  /** Fraction of a running run done, from its latest batch or, before any, its epochs. */
  progress(run: PanelRun): number {
    const total = Math.max(1, run.config.epochs);
    const batch = this.batches.get(run.id);
    if (batch && batch.epoch > run.epochs.length) {
      return Math.min(1, (batch.epoch - 1 + batch.batch / Math.max(1, batch.batchesPerEpoch)) / total);
    }
    return Math.min(1, run.epochs.length / total);
  }
}

export const noChanges = (): RunsChanges => ({ all: false, runs: new Set(), batches: new Set() });
