// The parallel coordinates' axes: what each reads from a run, and the ranges brushed on them,
// which filter the runs table.
import type { PanelRun } from "../../src/shared/webview-protocol";
import { epochsTrained } from "../table/columns";

export const AXIS_KEYS = [
  "learningRate",
  "batchSize",
  "epochs",
  "params",
  "macs",
  "testAccuracy",
  "testLoss",
  "learningTime",
] as const;
export type AxisKey = (typeof AXIS_KEYS)[number];

export interface Axis {
  key: AxisKey;
  label: string;
  /** Values that span orders of magnitude read better on a log axis. */
  log: boolean;
  value(run: PanelRun): number | undefined;
}

/** A brushed range, in the axis's own units, low to high. */
export type Range = [min: number, max: number];
export type Brushes = Partial<Record<AxisKey, Range>>;

const positive = (v: number | undefined) => (v !== undefined && Number.isFinite(v) && v > 0 ? v : undefined);
const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : undefined);

export const AXES: Axis[] = [
  { key: "learningRate", label: "Learning rate", log: true, value: (r) => positive(r.config.learningRate) },
  { key: "batchSize", label: "Batch size", log: true, value: (r) => positive(r.config.batchSize) },
  { key: "epochs", label: "Epochs", log: false, value: epochsTrained },
  { key: "params", label: "Params", log: true, value: (r) => positive(r.summary?.params.total) },
  { key: "macs", label: "MACs", log: true, value: (r) => positive(r.summary?.macs) },
  {
    key: "testAccuracy",
    label: "Test accuracy (%)",
    log: false,
    value: (r) => finite(r.results && r.results.testAccuracy * 100),
  },
  { key: "testLoss", label: "Test loss", log: false, value: (r) => finite(r.results?.testLoss) },
  { key: "learningTime", label: "Learning time (s)", log: true, value: (r) => positive(r.results?.learningTimeSec) },
];

export const AXIS_BY_KEY = new Map(AXES.map((a) => [a.key, a]));

/** Runs drawn as lines: those with a value on every axis (completed runs). */
export function plottable(run: PanelRun): boolean {
  return run.status === "completed" && AXES.every((axis) => axis.value(run) !== undefined);
}

/** Whether a run lies inside every brushed range; a run without a value on a brushed axis does not. */
export function inBrushes(run: PanelRun, brushes: Brushes): boolean {
  for (const key of AXIS_KEYS) {
    const range = brushes[key];
    if (!range) continue;
    const value = AXIS_BY_KEY.get(key)!.value(run);
    if (value === undefined || value < range[0] || value > range[1]) return false;
  }
  return true;
}

export function hasBrushes(brushes: Brushes): boolean {
  return AXIS_KEYS.some((key) => brushes[key] !== undefined);
}

/** Brushes read back from saved state: known axes with a finite, ordered range. */
export function restoreBrushes(saved: unknown): Brushes {
  const brushes: Brushes = {};
  if (!saved || typeof saved !== "object") return brushes;
  for (const key of AXIS_KEYS) {
    const range = (saved as Record<string, unknown>)[key];
    if (
      Array.isArray(range) &&
      range.length === 2 &&
      range.every((v) => typeof v === "number" && Number.isFinite(v)) &&
      range[0] <= range[1]
    ) {
      brushes[key] = [range[0], range[1]];
    }
  }
  return brushes;
}
