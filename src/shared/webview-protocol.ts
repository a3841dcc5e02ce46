// Messages between the extension host and the comparison panel's webview. Types only, so the
// webview bundle, the host and the tests share them without pulling in code.
import type { SweepRecord } from "../engine/sweep/types";
import type { BatchProgress, RunAnnotations, RunRecord } from "../engine/types";
import type { PredictionResult } from "./protocol";
import type { GroupBy } from "../../webview/groups/grouping";
import type { Brushes } from "../../webview/parallel/axes";

/**
 * A run as the panel sees it: the record without the source text, which only the host needs
 * (for diffs) and which would multiply the snapshot size by the file size.
 */
export type PanelRun = Omit<RunRecord, "source"> & { source: { sha256: string } };

export interface PanelImage {
  index: number;
  width: number;
  height: number;
  /** Row-major, 0..255; one value per pixel (grayscale) or three (RGB). */
  pixels: number[];
}

export type TableFormat = "markdown" | "csv";

export type GraphFormat = "svg" | "png";

export type HostToWebview =
  | { type: "snapshot"; runs: PanelRun[]; warnings: string[] }
  | { type: "upsert"; run: PanelRun }
  | { type: "removed"; id: string }
  /** Live progress of running jobs between two epoch records. */
  | { type: "batches"; progress: BatchProgress[] }
  | { type: "testImages"; requestId: number; runId: string; images: PanelImage[] }
  | { type: "predictions"; requestId: number; results: PredictionResult[] }
  /** Every sweep record of the workspace, newest first: after the snapshot, and whenever one changes. */
  | { type: "sweeps"; sweeps: SweepRecord[] }
  | { type: "notice"; level: "info" | "error"; message: string };

export type WebviewToHost =
  | { type: "ready" }
  | { type: "stop"; runId: string }
  | { type: "rerun"; runId: string }
  | { type: "delete"; runIds: string[] }
  /** Sets the fields given ('' or false clears one); the others stay. */
  | { type: "annotate"; runId: string; annotations: RunAnnotations }
  /** Goes on with a stopped or interrupted sweep: its unfinished trials run again. */
  | { type: "resumeSweep"; sweepId: string }
  | { type: "openSource"; runId: string }
  | { type: "exportModel"; runId: string }
  /** Asks how many more epochs, then trains the run's saved model further as a new run. */
  | { type: "continueTraining"; runId: string }
  | { type: "deleteSavedModel"; runId: string }
  | { type: "diffSources"; leftRunId: string; rightRunId: string }
  | { type: "exportTable"; format: TableFormat; runIds: string[] }
  | { type: "exportChart"; chart: string; pngDataUrl: string }
  /** `data`: the SVG's text, or a PNG data URL. */
  | { type: "exportGraph"; name: string; format: GraphFormat; data: string }
  /** Opens the source line of a run's layer (by its summary name). */
  | { type: "openLayer"; runId: string; layer: string }
  | { type: "testImages"; requestId: number; runId: string; indices: number[] }
  /** The drawing pad's image (the dataset's layout, 0..1) for the models of `runIds`. */
  | { type: "predict"; requestId: number; runIds: string[]; pixels: number[] };

/** How the loss and accuracy curves are drawn. */
export interface CurveOptions {
  /** Weight of the debiased exponential moving average, 0 (raw) to 0.99, as TensorBoard's slider. */
  smoothing: number;
  /** Train and test curves on separate charts instead of one chart per metric. */
  split: boolean;
  /** Epochs, or training seconds since the run started. */
  x: "epoch" | "time";
  logLoss: boolean;
}

/** What the webview keeps across reloads through getState/setState. */
export interface PanelState {
  version: 2;
  sort: { column: string; descending: boolean };
  filters: { text: string; status: string; starred: boolean };
  selected: string[];
  /**
   * 'auto': the latest run of each architecture, following new runs as they start;
   * 'manual': exactly what the user picked.
   */
  selection: "auto" | "manual";
  detailsRunId?: string;
  curves: CurveOptions;
  groupBy: GroupBy;
  /** Keys of the groups folded in the table. */
  folded: string[];
  /** Runs shown side by side (two to four), or none. */
  compare: string[];
  /** The side-by-side table shows only the rows where the runs differ. */
  compareDiffOnly: boolean;
  /** Ranges brushed on the parallel coordinates' axes: the table shows only runs inside all of them. */
  brushes: Brushes;
}
