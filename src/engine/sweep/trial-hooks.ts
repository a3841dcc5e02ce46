// What a run needs to know when it is one trial of a sweep: its fixed record id, its place in the
// sweep, and a say after every epoch (ASHA's stop decision).
import type { EpochMetrics, RunRecord, SweepRef } from "../types";

export interface TrialHooks {
  runId: string;
  sweep: SweepRef;
  /** Called once the epoch is in the record; throws TrialPruned to end the run as `pruned`. */
  afterEpoch(metrics: EpochMetrics, record: RunRecord): Promise<void>;
}

export class TrialPruned extends Error {
  constructor(epoch: number) {
    super(`Pruned after epoch ${epoch}: below the top of its rung`);
    this.name = "TrialPruned";
  }
}
