// The workspace's runs as the extension sees them: what the store holds plus live updates from
// running jobs. The comparison panel and the CodeLens read runs only through this.
import { isAbsolute, resolve } from "node:path";
import type { RunRecord, TrainingEvent } from "../../engine/types";
import type { RunsChange, RunsModel } from "../contracts";

/** The part of vscode.EventEmitter this model uses (injected so tests need no VS Code). */
export interface ChangeEmitter {
  readonly event: RunsModel["onDidChange"];
  fire(change: RunsChange): void;
  dispose(): void;
}

export class WorkspaceRuns implements RunsModel {
  private readonly records = new Map<string, RunRecord>();
  private skipped: readonly string[] = [];

  constructor(
    private readonly storeRoot: string,
    private readonly emitter: ChangeEmitter,
  ) {}

  get onDidChange(): RunsModel["onDidChange"] {
    return this.emitter.event;
  }

  list(): RunRecord[] {
    return [...this.records.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  get(id: string): RunRecord | undefined {
    return this.records.get(id);
  }

  /** Absolute path of a run's model file. */
  fileOf(record: RunRecord): string {
    return isAbsolute(record.file) ? record.file : resolve(this.storeRoot, record.file);
  }

  /** The newest run of `model` in `file` (an absolute path). */
  /** The latest run of the architecture as the file builds it: a sweep's trials are variants of it, left out. */
  latest(file: string, model: string): RunRecord | undefined {
    return this.list().find((r) => r.model === model && !r.sweep && this.fileOf(r) === file);
  }

  get warnings(): readonly string[] {
    return this.skipped;
  }

  replaceAll(records: RunRecord[], warnings: readonly string[] = []): void {
    this.skipped = warnings;
    this.records.clear();
    for (const r of records) this.records.set(r.id, r);
    this.emitter.fire({ kind: "reset" });
  }

  /** A record without annotations (a trainer's event) keeps those already known, as the store does. */
  upsert(record: RunRecord): void {
    const known = record.annotations === undefined ? this.records.get(record.id)?.annotations : undefined;
    const merged = known ? { ...record, annotations: known } : record;
    this.records.set(record.id, merged);
    this.emitter.fire({ kind: "upsert", record: merged });
  }

  remove(id: string): void {
    if (this.records.delete(id)) this.emitter.fire({ kind: "removed", id });
  }

  apply(event: TrainingEvent): void {
    switch (event.type) {
      case "runStarted":
      case "runFinished":
      case "runFailed":
      case "runCancelled":
        this.upsert(event.record);
        return;
      case "epoch": {
        const record = this.records.get(event.runId);
        if (!record) return;
        const epochs = record.epochs.filter((e) => e.epoch !== event.metrics.epoch);
        this.upsert({ ...record, epochs: [...epochs, event.metrics] });
        return;
      }
      case "batch": {
        const { runId, epoch, batch, batchesPerEpoch, loss, acc } = event;
        this.emitter.fire({ kind: "batch", progress: { runId, epoch, batch, batchesPerEpoch, loss, acc } });
        return;
      }
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
