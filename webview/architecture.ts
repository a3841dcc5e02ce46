// What makes two runs "the same architecture", and the runs the curves open with.
import type { PanelRun } from "../src/shared/webview-protocol";

/**
 * The fingerprint of the layer configuration (the engine's architectureHash: layer classes and
 * configs, layer names replaced by position), so reruns, renamed layers and comment-only edits
 * share it and a changed filter count does not. A model that never built has no summary: its file
 * and export name stand in.
 */
export function architectureKey(run: PanelRun): string {
  const hash = run.summary?.architectureHash;
  return hash ? `arch:${hash}` : `model:${run.file}\u0000${run.model}`;
}

/** The newest run of each architecture that has something to draw (epochs, or running), newest first. */
export function latestPerArchitecture(runs: Iterable<PanelRun>): PanelRun[] {
  const latest = new Map<string, PanelRun>();
  for (const run of runs) {
    if (run.status !== "running" && run.epochs.length === 0) continue;
    const key = architectureKey(run);
    const seen = latest.get(key);
    if (!seen || seen.startedAt < run.startedAt || (seen.startedAt === run.startedAt && seen.id < run.id))
      latest.set(key, run);
  }
  return [...latest.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt) || (a.id < b.id ? 1 : -1));
}
