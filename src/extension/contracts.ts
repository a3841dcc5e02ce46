// The seam between the job side of the extension (runs, jobs, CodeLens) and the comparison panel.
// The panel reads runs and asks for actions only through these interfaces.
import type * as vscode from "vscode";
import type { SweepRecord } from "../engine/sweep/types";
import type { BatchProgress, RunAnnotations, RunRecord } from "../engine/types";
import type { PredictionResult } from "../shared/protocol";

export type RunsChange =
  /** A run was created or changed (new epoch, finished, failed, ...): the full record. */
  | { kind: "upsert"; record: RunRecord }
  | { kind: "removed"; id: string }
  | { kind: "batch"; progress: BatchProgress }
  /** The store was re-read from disk (another window wrote it, or the folder changed). */
  | { kind: "reset" };

export interface RunsModel {
  /** Every run of the workspace (stored and live), newest first. */
  list(): RunRecord[];
  get(id: string): RunRecord | undefined;
  /** Why records of the store were skipped when it was last read (corrupt, a newer version). */
  readonly warnings?: readonly string[];
  readonly onDidChange: vscode.Event<RunsChange>;
}

export interface RunActions {
  stop(runId: string): void;
  rerun(runId: string): Promise<void>;
  delete(runIds: string[]): Promise<void>;
  /** Saves a change to a run's name, note or star in its record. */
  annotate(runId: string, change: RunAnnotations): Promise<void>;
  /** Opens the model file at the architecture's definition. */
  openSource(runId: string): Promise<void>;
  /** Opens the model file at the call that made a run's layer (by its summary name). */
  openLayer(runId: string, layer: string): Promise<void>;
  /** Opens VS Code's diff editor on two runs' source snapshots. */
  diffSources(leftRunId: string, rightRunId: string): Promise<void>;
  /** Asks where, then writes the run's trained model there (the Export Model command). */
  exportModel(runId: string): Promise<void>;
  /** Asks how many more epochs, then queues the run's saved model to train them (the Continue Training command). */
  continueTraining(runId: string): Promise<void>;
  /** Deletes the run's trained model once the user confirms; the record stays. */
  deleteSavedModel(runId: string): Promise<void>;
  /** Each run's prediction for one image in its dataset's layout (the drawing pad). */
  predict(runIds: string[], pixels: number[]): Promise<PredictionResult[]>;
  /** Pixels of one test image of a run's dataset, row-major, 0..255, with its shape. */
  testImage(runId: string, index: number): Promise<{ width: number; height: number; pixels: number[] } | undefined>;
}

export interface SweepsModel {
  /** Every sweep record of the workspace, newest first. */
  list(): SweepRecord[];
  readonly onDidChange: vscode.Event<void>;
  /** Goes on with a sweep that did not finish (with its notification, as Resume Sweep does). */
  resume(id: string): Promise<void>;
}
