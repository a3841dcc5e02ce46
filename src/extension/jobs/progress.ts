// What a job's progress line says: model, epoch, batch and an estimate of the time left.
export interface JobProgress {
  model: string;
  epoch: number;
  /** The run's first epoch: 1, or for a continued run the one after its parent's last. */
  firstEpoch?: number;
  /** The run's last epoch. */
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  /** Milliseconds spent training this run so far. */
  elapsedMs: number;
}

/** Fraction of the run done, 0..1. Epochs and batches are 1-based as the engine reports them. */
export function runFraction(
  p: Pick<JobProgress, "epoch" | "firstEpoch" | "epochs" | "batch" | "batchesPerEpoch">,
): number {
  const first = p.firstEpoch ?? 1;
  const total = (p.epochs - first + 1) * p.batchesPerEpoch;
  if (total <= 0) return 0;
  return Math.min(1, ((p.epoch - first) * p.batchesPerEpoch + p.batch) / total);
}

export function etaSeconds(p: JobProgress): number | undefined {
  const fraction = runFraction(p);
  if (fraction <= 0 || p.elapsedMs <= 0) return undefined;
  return ((1 - fraction) / fraction) * (p.elapsedMs / 1000);
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

export function describeProgress(p: JobProgress): string {
  const eta = etaSeconds(p);
  const parts = [p.model, `epoch ${p.epoch}/${p.epochs}`, `batch ${p.batch}/${p.batchesPerEpoch}`];
  if (eta !== undefined) parts.push(`ETA ${formatDuration(eta)}`);
  return parts.join(" · ");
}
