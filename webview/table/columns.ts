// The runs table's columns: what each shows and how it sorts.
import { epochsBefore, lastEpoch } from "../../src/engine/runs/continued";
import type { PanelRun } from "../../src/shared/webview-protocol";
import { formatBackend, formatInt, formatLoss, formatPercent, formatSeconds, formatStarted } from "../format";

export type ColumnKey =
  | "star"
  | "model"
  | "note"
  | "file"
  | "params"
  | "testAccuracy"
  | "testLoss"
  | "learningTime"
  | "epochs"
  | "backend"
  | "status"
  | "started";

export interface Column {
  key: ColumnKey;
  label: string;
  numeric: boolean;
  /** What the header says to screen readers when its label is a symbol. */
  ariaLabel?: string;
  sortValue(run: PanelRun): string | number | undefined;
  text(run: PanelRun): string;
}

const column = (
  key: ColumnKey,
  label: string,
  sortValue: Column["sortValue"],
  text: Column["text"],
  numeric = true,
): Column => ({ key, label, numeric, sortValue, text });

const orBlank = <T>(value: T | undefined, format: (v: T) => string): string =>
  value === undefined ? "" : format(value);

/** The name the user gave the run, else its model's. */
export const displayName = (run: PanelRun): string => run.annotations?.name || run.model;

export const COLUMNS: Column[] = [
  {
    ...column(
      "star",
      "★",
      (r) => (r.annotations?.starred ? 1 : 0),
      (r) => (r.annotations?.starred ? "★" : ""),
      false,
    ),
    ariaLabel: "Starred",
  },
  column("model", "Model", (r) => displayName(r).toLowerCase(), displayName, false),
  column(
    "note",
    "Note",
    (r) => r.annotations?.note?.toLowerCase(),
    (r) => r.annotations?.note ?? "",
    false,
  ),
  column(
    "file",
    "File",
    (r) => r.file.toLowerCase(),
    (r) => r.file,
    false,
  ),
  column(
    "params",
    "Params",
    (r) => r.summary?.params.total,
    (r) => orBlank(r.summary?.params.total, formatInt),
  ),
  column(
    "testAccuracy",
    "Test accuracy",
    (r) => r.results?.testAccuracy,
    (r) => orBlank(r.results?.testAccuracy, formatPercent),
  ),
  column(
    "testLoss",
    "Test loss",
    (r) => r.results?.testLoss,
    (r) => orBlank(r.results?.testLoss, formatLoss),
  ),
  column("learningTime", "Learning time", learningSeconds, (r) => orBlank(learningSeconds(r), formatSeconds)),
  column("epochs", "Epochs", epochsTrained, epochsText),
  column("backend", "Backend", (r) => formatBackend(r), formatBackend, false),
  column(
    "status",
    "Status",
    (r) => r.status,
    (r) => r.status,
    false,
  ),
  column(
    "started",
    "Started",
    (r) => r.startedAt,
    (r) => formatStarted(r.startedAt),
    false,
  ),
];

export const COLUMN_BY_KEY = new Map(COLUMNS.map((c) => [c.key, c]));

/** Epochs the run's model has trained: a continued run's count its parent's too. */
export function epochsTrained(run: PanelRun): number {
  return epochsBefore(run) + run.epochs.length;
}

/** "3/5": epochs trained of the last one planned (numbered on from the parent's for a continued run). */
export function epochsText(run: PanelRun): string {
  return `${epochsTrained(run)}/${lastEpoch(run)}`;
}

/** Training seconds so far: the final figure once done, the sum of epochs while running. */
export function learningSeconds(run: PanelRun): number | undefined {
  if (run.results) return run.results.learningTimeSec;
  return run.epochs.length ? run.epochs.reduce((sum, e) => sum + e.seconds, 0) : undefined;
}
