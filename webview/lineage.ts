// Continued runs in the panel (Continue Training): the run each went on from, while the panel still
// has it, and where its curves start so that they carry on from that run's.
import type { EpochMetrics } from "../src/engine/types";
import type { PanelRun } from "../src/shared/webview-protocol";

/** The run `run` went on from, when it is still in the workspace. */
export function parentOf(run: PanelRun, runs: ReadonlyMap<string, PanelRun>): PanelRun | undefined {
  return run.parent && runs.get(run.parent.id);
}

/** Where a continued run's curves start: after its parent's last epoch, and its parents' training time. */
export interface CurveStart {
  /** The parent's last epoch (the one the run went on from), drawn first so that the two lines join. */
  anchor?: EpochMetrics;
  /** Training seconds of the runs before it, up to that epoch (what the time axis starts from). */
  seconds: number;
}

/** `joined`: the parent is drawn too, so the run's line starts at the parent's last point. */
export function curveStart(
  run: PanelRun,
  runs: ReadonlyMap<string, PanelRun>,
  joined: boolean,
): CurveStart | undefined {
  if (!run.parent) return undefined;
  const from = run.parent.epochs;
  const parent = parentOf(run, runs);
  const anchor = joined ? parent?.epochs.find((e) => e.epoch === from) : undefined;
  return { anchor, seconds: trainedSeconds(run, runs) };
}

/** Seconds the model trained before this run, along its chain of parents (as far as the panel has them). */
function trainedSeconds(run: PanelRun, runs: ReadonlyMap<string, PanelRun>, seen = new Set<string>()): number {
  const parent = parentOf(run, runs);
  // A record edited by hand could make a loop; it counts once.
  if (!parent || seen.has(parent.id)) return 0;
  seen.add(parent.id);
  const own = parent.epochs.filter((e) => e.epoch <= run.parent!.epochs).reduce((sum, e) => sum + e.seconds, 0);
  return own + trainedSeconds(parent, runs, seen);
}
