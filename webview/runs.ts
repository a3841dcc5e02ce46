// The webview's copy of the workspace's runs, kept current by the host's snapshot and increments.
import { epochsBefore } from "../src/engine/runs/continued";
import type { BatchProgress } from "../src/engine/types";
import type { HostToWebview, PanelRun } from "../src/shared/webview-protocol";

export interface RunsChanges {
  /** Everything changed (snapshot). */
  all: boolean;
  /** Runs created, updated or removed. */
  runs: Set<string>;
  /** Runs with new batch progress only. */
  batches: Set<string>;
  /** Records left out because they lack what the panel draws. */
  malformed: number;
}

/** A point of a running run's live curve: x in epochs (1.5 is halfway through epoch 2). */
export interface LivePoint {
  x: number;
  loss: number;
  acc: number;
}

// Enough for a smooth live curve over a long run; older points are dropped two at a time in one.
const MAX_LIVE_POINTS = 2000;

export class RunsState {
  readonly runs = new Map<string, PanelRun>();
  readonly batches = new Map<string, BatchProgress>();
  /** Batch progress of running runs as it arrived while the panel was open: their live curves. */
  readonly live = new Map<string, LivePoint[]>();

  /** Applies a run message and says what changed; other messages change nothing here. */
  apply(message: HostToWebview, changes: RunsChanges): void {
    switch (message.type) {
      case "snapshot":
        this.runs.clear();
        this.batches.clear();
        this.live.clear();
        for (const run of message.runs) {
          if (isDrawable(run)) this.runs.set(run.id, run);
          else changes.malformed++;
        }
        changes.all = true;
        return;
      case "upsert":
        if (!isDrawable(message.run)) {
          changes.malformed++;
          return;
        }
        this.runs.set(message.run.id, message.run);
        if (message.run.status !== "running") {
          this.batches.delete(message.run.id);
          this.live.delete(message.run.id);
        }
        changes.runs.add(message.run.id);
        return;
      case "removed":
        this.runs.delete(message.id);
        this.batches.delete(message.id);
        this.live.delete(message.id);
        changes.runs.add(message.id);
        return;
      case "batches":
        for (const progress of message.progress) {
          if (this.runs.get(progress.runId)?.status !== "running") continue;
          this.batches.set(progress.runId, progress);
          this.addLivePoint(progress);
          changes.batches.add(progress.runId);
        }
        return;
      default:
        return;
    }
  }

  private addLivePoint(progress: BatchProgress): void {
    const x = progress.epoch - 1 + progress.batch / Math.max(1, progress.batchesPerEpoch);
    if (!Number.isFinite(progress.loss) || !Number.isFinite(x)) return;
    let points = this.live.get(progress.runId);
    if (!points) this.live.set(progress.runId, (points = []));
    if (points.length && points[points.length - 1].x >= x) return;
    points.push({ x, loss: progress.loss, acc: progress.acc });
    if (points.length > MAX_LIVE_POINTS)
      this.live.set(
        progress.runId,
        points.filter((_, i) => i % 2 === 1),
      );
  }

  /** How far a running run is, from its latest batch or, before any, its finished epochs. */
  progress(run: PanelRun): RowProgress {
    const total = Math.max(1, run.config.epochs);
    // A continued run's epochs are numbered on from its parent's: "epoch 4/5" is its first of two.
    const before = epochsBefore(run);
    const last = before + total;
    const batch = this.batches.get(run.id);
    if (batch && batch.epoch > before + run.epochs.length) {
      const fraction = (batch.epoch - 1 - before + batch.batch / Math.max(1, batch.batchesPerEpoch)) / total;
      const loss = Number.isFinite(batch.loss) ? `, loss ${batch.loss.toFixed(3)}` : "";
      return { fraction: Math.min(1, fraction), text: `epoch ${batch.epoch}/${last}${loss}` };
    }
    return {
      fraction: Math.min(1, run.epochs.length / total),
      text: `epoch ${before + Math.min(total, run.epochs.length + 1)}/${last}`,
    };
  }
}

export interface RowProgress {
  /** 0..1 of the whole run. */
  fraction: number;
  /** E.g. "epoch 2/5, loss 0.312". */
  text: string;
}

export const noChanges = (): RunsChanges => ({ all: false, runs: new Set(), batches: new Set(), malformed: 0 });

/** The fields every view reads without checking; the rest are optional in the record type. */
function isDrawable(run: PanelRun): boolean {
  const object = (v: unknown) => typeof v === "object" && v !== null;
  return (
    object(run) &&
    typeof run.id === "string" &&
    typeof run.model === "string" &&
    typeof run.file === "string" &&
    typeof run.status === "string" &&
    typeof run.startedAt === "string" &&
    object(run.config) &&
    object(run.backend) &&
    Array.isArray(run.epochs)
  );
}
