// Continued runs (Continue Training, record.parent): where their epochs are numbered from, and how
// tables name the run they went on from. No dependencies: the CLI, the host and the webview share it.
import type { RunRecord } from "../types";

/** Epochs the model had trained before this run: its parent's, for a continued run. */
export function epochsBefore(record: Pick<RunRecord, "parent">): number {
  return record.parent?.epochs ?? 0;
}

/** The number of the run's last epoch once it has trained all it was set to (a continued run's go on from its parent's). */
export function lastEpoch(record: Pick<RunRecord, "parent" | "config">): number {
  return epochsBefore(record) + record.config.epochs;
}

/** The end of a run id ("…3f9a"): short, and what `archlab` commands take for a run. */
export function shortRunId(id: string): string {
  return `…${id.slice(-4)}`;
}

/** "continued from …3f9a at epoch 2", or nothing for a run trained from scratch. */
export function continuedText(record: Pick<RunRecord, "parent">): string | undefined {
  const parent = record.parent;
  return parent && `continued from ${shortRunId(parent.id)} at epoch ${parent.epochs}`;
}
